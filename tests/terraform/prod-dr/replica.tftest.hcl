# What Terraform evaluates in prod's DR standby: the replica's source, named from the settings and
# the partition (nothing is read from the primary region's state), and its key by ARN: the ARN of
# the stack's own key, the form RDS returns (an alias there planned a replacement every time).
# var.account_id: the stack's account, which the harness gives (tools/lib/terraform/harness.ts).

mock_provider "aws" {
  source = "./tests/mocks"
}

override_resource {
  target          = aws_kms_key.database_key
  override_during = plan
  values = {
    arn = "arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

run "replica" {
  command = plan
  assert {
    condition     = aws_db_instance.replica.replicate_source_db == "arn:aws:rds:us-east-1:${var.account_id}:db:smh-dashboard-prod-db"
    error_message = "the replica must follow prod's database, by its ARN in the primary region of its own account"
  }
  assert {
    condition     = aws_db_instance.replica.kms_key_id == "arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
    error_message = "the replica must be encrypted with its own key, given by the key's ARN (RDS returns it; an alias plans a replacement)"
  }
  assert {
    condition     = aws_db_instance.replica.performance_insights_kms_key_id == aws_db_instance.replica.kms_key_id
    error_message = "Performance Insights must use the same key, by its ARN"
  }
}
