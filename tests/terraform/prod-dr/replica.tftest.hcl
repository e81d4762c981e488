# What Terraform evaluates in prod's DR standby: the replica's source and key, named from the
# settings and the partition (nothing is read from the primary region's state).

mock_provider "aws" {
  source = "./tests/mocks"
}

run "replica" {
  command = plan
  assert {
    condition     = aws_db_instance.replica.replicate_source_db == "arn:aws:rds:us-east-1:123456789012:db:smh-dashboard-prod-db"
    error_message = "the replica must follow prod's database, by its ARN in the primary region"
  }
  assert {
    condition     = aws_db_instance.replica.kms_key_id == "arn:aws:kms:us-west-2:123456789012:alias/smh-dashboard-prod-dr"
    error_message = "the replica must be encrypted with prod's DR-region key"
  }
}
