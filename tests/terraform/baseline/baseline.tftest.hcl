# The account baseline: GuardDuty, Config, Security Hub, CloudTrail.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "baseline" {
  command = plan

  # GuardDuty with S3 protection and Fargate runtime monitoring
  assert {
    condition     = aws_guardduty_detector.guardduty.enable
    error_message = "GuardDuty must be enabled"
  }
  assert {
    condition     = aws_guardduty_detector_feature.guardduty_s3.status == "ENABLED" && aws_guardduty_detector_feature.guardduty_runtime.status == "ENABLED"
    error_message = "GuardDuty S3 protection and runtime monitoring must be on"
  }
  # AWS Config records everything and delivers to its bucket
  assert {
    condition     = aws_config_configuration_recorder.config_recorder.recording_group[0].all_supported && aws_config_configuration_recorder_status.config_recording.is_enabled
    error_message = "Config must record all supported resources"
  }
  assert {
    condition     = aws_config_config_rule.config_rule_s3_bucket_ssl_requests_only.source[0].source_identifier == "S3_BUCKET_SSL_REQUESTS_ONLY"
    error_message = "the S3 TLS-only Config rule must be on"
  }
  # Security Hub with FSBP and CIS
  assert {
    condition     = endswith(aws_securityhub_standards_subscription.security_hub_fsbp.standards_arn, "aws-foundational-security-best-practices/v/1.0.0")
    error_message = "Security Hub must subscribe to AWS Foundational Security Best Practices"
  }
  assert {
    condition     = strcontains(aws_securityhub_standards_subscription.security_hub_cis.standards_arn, "cis-aws-foundations-benchmark")
    error_message = "Security Hub must subscribe to CIS"
  }
  # CloudTrail: multi-region, validated, KMS, CloudWatch Logs
  assert {
    condition     = aws_cloudtrail.cloudtrail.is_multi_region_trail && aws_cloudtrail.cloudtrail.enable_log_file_validation && aws_cloudtrail.cloudtrail.include_global_service_events
    error_message = "the trail must be multi-region with log-file validation"
  }
  assert {
    condition     = aws_kms_key.cloudtrail_key.enable_key_rotation && aws_cloudwatch_log_group.cloudtrail_audit_logs.retention_in_days == 365
    error_message = "the trail's key must rotate and its log group keep a year"
  }
  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.cloudtrail_logs_lifecycle.rule : r.expiration[0].days if r.id == "audit-retention"]) == 2192
    error_message = "trail log files must be kept 6 years"
  }
}
