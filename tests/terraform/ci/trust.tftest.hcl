# What Terraform evaluates in the ci stack: each pipeline role runs with its own permissions
# document (references resolved across resources), not another role's.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Distinct documents, so that a role wired to the wrong one shows.
override_data {
  target = data.aws_iam_policy_document.prod_deployer_permissions
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"deployer\"}]}" }
}

override_data {
  target = data.aws_iam_policy_document.prod_plan_reader_permissions
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"plan-reader\"}]}" }
}

run "wiring" {
  command = plan
  assert {
    condition     = aws_iam_role_policy.prod_deployer_policy.policy == data.aws_iam_policy_document.prod_deployer_permissions.json
    error_message = "prod's deployer must run with the deployer's permissions"
  }
  assert {
    condition     = aws_iam_role_policy.prod_plan_reader_policy.policy == data.aws_iam_policy_document.prod_plan_reader_permissions.json
    error_message = "prod's plan reader must run with the reader's permissions"
  }
}
