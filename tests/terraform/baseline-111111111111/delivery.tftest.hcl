# The multi-account example's dev account (__tests__/fixtures/multi-account.json: dev in
# 111111111111, the state in 333333333333, baseline.cloudTrailToStateAccount): its trail's delivery
# to the state account, as Terraform evaluates it (references resolved across providers).

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

override_resource {
  target          = aws_kms_key.cloudtrail_delivery_key
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-west-2:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666"
    key_id = "0a1b2c3d-1111-2222-3333-444455556666"
  }
}

# A document of its own, so that a key given another key's policy shows.
override_data {
  target = data.aws_iam_policy_document.cloudtrail_delivery_key_policy
  values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"delivery\"}]}" }
}

run "delivery_to_the_state_account" {
  command = plan
  assert {
    condition     = aws_cloudtrail.cloudtrail.s3_bucket_name == "smh-dashboard-cloudtrail-us-west-2-333333333333"
    error_message = "the trail must deliver to the state account's audit bucket, in the state region"
  }
  # the log files' key is the delivery key, in the bucket's region, under its own policy and alias
  assert {
    condition = alltrue([
      aws_cloudtrail.cloudtrail.kms_key_id == aws_kms_key.cloudtrail_delivery_key.arn,
      aws_kms_alias.cloudtrail_delivery_key_alias.target_key_id == aws_kms_key.cloudtrail_delivery_key.key_id,
      aws_kms_key.cloudtrail_delivery_key.policy == data.aws_iam_policy_document.cloudtrail_delivery_key_policy.json,
    ])
    error_message = "the trail must encrypt with the delivery key, which its alias and its own policy name"
  }
  # the state account (the auditors) may decrypt what this trail delivered
  assert {
    condition = contains(flatten([
      for s in data.aws_iam_policy_document.cloudtrail_delivery_key_policy.statement : [for p in s.principals : p.identifiers] if s.sid == "AuditAccountDecrypts"
    ]), "arn:aws:iam::333333333333:root")
    error_message = "the delivery key must let the state account decrypt"
  }
}
