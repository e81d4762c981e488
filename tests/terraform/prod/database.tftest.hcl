# prod's database: private, encrypted, protected, TLS-only, credentials managed by RDS.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "database_is_private_encrypted_and_protected" {
  command = plan

  assert {
    condition     = aws_db_instance.database.engine == "postgres" && startswith(aws_db_instance.database.engine_version, "15")
    error_message = "the database must be PostgreSQL 15"
  }
  assert {
    condition     = aws_db_instance.database.storage_encrypted && !aws_db_instance.database.publicly_accessible
    error_message = "the database must be encrypted and private"
  }
  assert {
    condition     = aws_db_instance.database.multi_az && aws_db_instance.database.backup_retention_period == 7
    error_message = "prod needs Multi-AZ and 7-day backups (seed)"
  }
  assert {
    condition     = aws_db_instance.database.deletion_protection && !aws_db_instance.database.skip_final_snapshot
    error_message = "prod's database needs deletion protection and a final snapshot"
  }
  assert {
    condition     = aws_db_instance.database.manage_master_user_password
    error_message = "the master password must be managed by RDS in Secrets Manager"
  }
  assert {
    condition     = one([for p in aws_db_parameter_group.database_parameters.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "the database must require TLS"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.database_security_group_postgres_from_tasks.from_port == 5432
    error_message = "5432 must be open to the tasks"
  }
}
