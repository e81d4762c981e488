# ARNs the baseline builds from data.aws_partition, as Terraform evaluates them.

mock_provider "aws" {
  source = "./tests/mocks"
}

# A trail that delivers to the state account's audit bucket has its key in the bucket's region.
mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "partition_arns" {
  command = plan
  assert {
    condition     = aws_securityhub_standards_subscription.security_hub_fsbp.standards_arn == "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
    error_message = "the FSBP standard's ARN must be complete"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.config_role_aws_config_role.policy_arn == "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
    error_message = "the Config role must attach AWS's managed policy of this partition"
  }
  assert {
    condition     = contains(one([for s in aws_cloudtrail.cloudtrail.advanced_event_selector[1].field_selector : s if s.field == "resources.ARN"]).starts_with, "arn:aws:s3:::smh-dashboard-")
    error_message = "S3 data events must cover the project's buckets"
  }
  # the trail does not record its own deliveries, whether to the account's bucket or the state account's audit bucket
  assert {
    condition     = one(one([for s in aws_cloudtrail.cloudtrail.advanced_event_selector[1].field_selector : s if s.field == "resources.ARN"]).not_starts_with) == "arn:aws:s3:::${aws_cloudtrail.cloudtrail.s3_bucket_name}/"
    error_message = "S3 data events must leave out the bucket the trail delivers to"
  }
}
