# ARNs the prod stack builds from data.aws_partition, as Terraform evaluates them.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "partition_arns" {
  command = plan
  assert {
    condition     = aws_iam_role_policy_attachment.database_monitoring_role_amazon_rdsenhanced_monitoring_role.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    error_message = "the enhanced-monitoring role must attach AWS's managed policy of this partition"
  }
}
