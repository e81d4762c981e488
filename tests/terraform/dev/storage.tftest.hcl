# dev keeps the seed's log lifecycle and can be torn down.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "storage" {
  command = plan

  assert {
    condition     = flatten([for r in aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle.rule : r.expiration[*].days if r.id == "logs-retention"]) == [90]
    error_message = "dev logs must expire after 90 days (seed)"
  }
  assert {
    condition     = aws_s3_bucket.storage_data.force_destroy
    error_message = "dev buckets may be force-destroyed (storage.forceDestroy)"
  }
}
