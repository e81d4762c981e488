# The state stack's outputs, as Terraform evaluates them: backend.ts and the docs rely on them.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "outputs" {
  command = plan
  assert {
    condition     = output.state_bucket_name == aws_s3_bucket.state.bucket
    error_message = "state_bucket_name must be the state bucket's name"
  }
}
