# Alarms of every environment stack notify the alerts topic.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "seed_alarms_exist_with_their_thresholds" {
  command = plan

  assert {
    condition     = aws_cloudwatch_metric_alarm.monitoring_unhealthy_targets.metric_name == "UnHealthyHostCount" && aws_cloudwatch_metric_alarm.monitoring_unhealthy_targets.threshold == 0
    error_message = "an unhealthy target must alarm"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.monitoring_target_5xx.metric_name == "HTTPCode_Target_5XX_Count" && aws_cloudwatch_metric_alarm.monitoring_elb_5xx.metric_name == "HTTPCode_ELB_5XX_Count"
    error_message = "target and ELB 5XX spikes must alarm"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.monitoring_high_risk_spike.metric_name == "HighRiskPredictionCount"
    error_message = "a high-risk prediction spike must alarm"
  }
  assert {
    condition     = aws_sns_topic.alerts.name != "" && aws_kms_key.alerts_key.enable_key_rotation
    error_message = "alerts go to an SNS topic encrypted with a rotating key"
  }
}
