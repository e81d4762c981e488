# Shared mock data for mock_provider "aws" (source = "./tests/mocks"): mocked computed values are
# random strings, which resources that validate JSON or ARNs reject.

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_ecr_lifecycle_policy_document" {
  defaults = { json = "{\"rules\":[]}" }
}

mock_data "aws_elb_service_account" {
  defaults = { arn = "arn:aws:iam::127311923021:root" }
}

# The partition of ARNs that the stacks build (src/constructs/context.ts).
mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}
