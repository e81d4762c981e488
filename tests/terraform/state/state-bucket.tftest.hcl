# The state bootstrap stack: the bucket that keeps every environment's Terraform state.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "state_bucket_is_versioned_encrypted_and_private" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.state_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "state bucket must be versioned"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm != ""
    error_message = "state bucket must be encrypted"
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state_public_access.block_public_acls,
      aws_s3_bucket_public_access_block.state_public_access.block_public_policy,
      aws_s3_bucket_public_access_block.state_public_access.ignore_public_acls,
      aws_s3_bucket_public_access_block.state_public_access.restrict_public_buckets,
    ])
    error_message = "state bucket must block all public access"
  }
  assert {
    condition     = !aws_s3_bucket.state.force_destroy
    error_message = "state bucket must never be force-destroyed"
  }
  assert {
    condition     = endswith(aws_s3_bucket.state.bucket, "123456789012") && strcontains(aws_s3_bucket.state.bucket, "us-west-2")
    error_message = "state bucket name must carry the DR region and the account id"
  }
}
