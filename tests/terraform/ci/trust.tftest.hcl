# What Terraform evaluates in the ci stack: each pipeline role runs with its own permissions
# document (references resolved across resources), not another role's. Written for prod's roles;
# every ci stack runs it once for each environment whose roles it holds, with prod's name replaced
# by that environment's (tools/lib/terraform/harness.ts): dev's and prod's in `ci`, dev's alone in
# an account of dev's own.

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
    condition     = aws_iam_policy.prod_deployer_policy.policy == data.aws_iam_policy_document.prod_deployer_permissions.json
    error_message = "prod's deployer's first managed policy must hold the deployer's permissions"
  }
  # The deployer's permissions are managed policies (one inline policy would pass IAM's 10,240
  # characters per role); each is attached to prod's deployer role and to no other.
  assert {
    condition = alltrue([
      for a in [aws_iam_role_policy_attachment.prod_deployer_policy_attachment, aws_iam_role_policy_attachment.prod_deployer_policy_2_attachment, aws_iam_role_policy_attachment.prod_deployer_policy_3_attachment] :
      a.role == aws_iam_role.prod_deployer.name
    ])
    error_message = "each of prod's deployer policies must be attached to prod's deployer role"
  }
  assert {
    condition     = aws_iam_role_policy.prod_plan_reader_policy.policy == data.aws_iam_policy_document.prod_plan_reader_permissions.json
    error_message = "prod's plan reader must run with the reader's permissions"
  }
}
