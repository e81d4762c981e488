import { resource, synthEnvironment } from "./helpers";

describe("Monitoring", () => {
  const { json } = synthEnvironment("prod");
  const alarm = (name: string) => resource(json, "aws_cloudwatch_metric_alarm", `monitoring_${name}`);

  test.each([
    ["unhealthy_targets", "UnHealthyHostCount", 0, "breaching"],
    ["target_5xx", "HTTPCode_Target_5XX_Count", 10, "notBreaching"],
    ["elb_5xx", "HTTPCode_ELB_5XX_Count", 10, "notBreaching"],
    ["response_time", "TargetResponseTime", 2, "notBreaching"],
  ])("%s: %s above %d notifies the alerts topic", (name, metric, threshold, missing) => {
    expect(alarm(name)).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: metric,
      threshold,
      comparison_operator: "GreaterThanThreshold",
      period: 60,
      evaluation_periods: 3,
      treat_missing_data: missing,
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
  });

  test("the high-risk spike alarm watches the app's custom metric", () => {
    expect(alarm("high_risk_spike")).toMatchObject({
      namespace: "StudentMHDashboard",
      metric_name: "HighRiskPredictionCount",
      statistic: "Sum",
      threshold: 20,
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
  });

  test("thresholds and periods are settings", () => {
    const dev = synthEnvironment("dev", { monitoring: { http5xxPerPeriod: 50, periodSeconds: 300 } }).json;
    expect(resource(dev, "aws_cloudwatch_metric_alarm", "monitoring_target_5xx")).toMatchObject({ threshold: 50, period: 300, evaluation_periods: 5 });
  });

  test("a dashboard shows ALB, ECS, prediction and (with a database) RDS metrics", () => {
    const body = resource(json, "aws_cloudwatch_dashboard", "monitoring_dashboard").dashboard_body as string;
    for (const metric of [
      "RequestCount",
      "TargetResponseTime",
      "HTTPCode_Target_5XX_Count",
      "HealthyHostCount",
      "CPUUtilization",
      "MemoryUtilization",
      "RunningTaskCount",
      "PredictionCount",
      "HighRiskPredictionCount",
      "DatabaseConnections",
    ]) {
      expect(body).toContain(`"${metric}"`);
    }
    const dev = resource(synthEnvironment("dev").json, "aws_cloudwatch_dashboard", "monitoring_dashboard").dashboard_body as string;
    expect(dev).not.toContain("AWS/RDS");
    expect(json.output?.dashboard_name.value).toBe("${aws_cloudwatch_dashboard.monitoring_dashboard.dashboard_name}");
  });
});
