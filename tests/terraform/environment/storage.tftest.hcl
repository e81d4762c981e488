# Buckets and registry of every environment stack.

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
  # models and data buckets are versioned encrypted and private
  assert {
    condition = alltrue([for v in [aws_s3_bucket_versioning.storage_models_versioning, aws_s3_bucket_versioning.storage_data_versioning] :
    v.versioning_configuration[0].status == "Enabled"])
    error_message = "models and data buckets must be versioned"
  }
  assert {
    condition = alltrue([for e in [aws_s3_bucket_server_side_encryption_configuration.storage_models_encryption, aws_s3_bucket_server_side_encryption_configuration.storage_data_encryption] :
    contains(["AES256", "aws:kms"], one(e.rule).apply_server_side_encryption_by_default[0].sse_algorithm)])
    error_message = "models and data buckets must be encrypted at rest"
  }
  assert {
    condition = alltrue([for b in [aws_s3_bucket_public_access_block.storage_models_public_access, aws_s3_bucket_public_access_block.storage_data_public_access, aws_s3_bucket_public_access_block.storage_logs_public_access] :
    b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets])
    error_message = "every bucket must block all public access"
  }
  # logs bucket lifecycle: 30 days STANDARD, then IA; expiry 90 days (seed, dev) or longer (prod audit trail)
  assert {
    condition     = flatten([for r in aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle.rule : [for t in r.transition : [t.days, t.storage_class]] if r.id == "logs-retention"]) == [30, "STANDARD_IA"]
    error_message = "logs must move to STANDARD_IA after 30 days"
  }
  assert {
    condition     = flatten([for r in aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle.rule : r.expiration[*].days if r.id == "logs-retention"])[0] >= 90
    error_message = "logs must be kept at least 90 days"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.storage_logs_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "ALB access logs need SSE-S3 on the logs bucket"
  }
  # registry scans on push with immutable tags
  assert {
    condition     = aws_ecr_repository.registry.image_tag_mutability == "IMMUTABLE"
    error_message = "ECR tags must be immutable"
  }
  assert {
    condition     = aws_ecr_repository.registry.image_scanning_configuration[0].scan_on_push
    error_message = "ECR must scan images on push"
  }
}
