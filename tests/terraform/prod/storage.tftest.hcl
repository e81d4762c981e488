# prod only: replicas in the DR region, static assets, nothing force-destroyed.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

# One run per file: each run is a full plan of the stack.
run "storage" {
  command = plan
  # models replicate to the dr region
  assert {
    condition     = strcontains(aws_s3_bucket.storage_models_replica.bucket, "us-west-2")
    error_message = "the models replica must be in the DR region"
  }
  assert {
    condition     = aws_s3_bucket_replication_configuration.storage_models_replication.rule[0].status == "Enabled"
    error_message = "models replication must be enabled"
  }
  assert {
    condition     = aws_s3_bucket_versioning.storage_models_replica_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "the replica must be versioned"
  }
  # an audit trail: access logs kept a year
  assert {
    condition     = flatten([for r in aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle.rule : r.expiration[*].days if r.id == "logs-retention"]) == [365]
    error_message = "prod access logs must be kept 365 days"
  }
  # no bucket is force destroyed in prod
  assert {
    condition = alltrue([for b in [aws_s3_bucket.storage_models, aws_s3_bucket.storage_data, aws_s3_bucket.storage_logs, aws_s3_bucket.storage_static, aws_s3_bucket.storage_models_replica, aws_s3_bucket.storage_data_replica] :
    !b.force_destroy])
    error_message = "prod buckets must not be force-destroyed"
  }
  assert {
    condition     = !aws_ecr_repository.registry.force_delete
    error_message = "the prod repository must not be force-deleted"
  }
}
