/**
 * The Monitoring alone in a bare stack, watching a service and its ALB (bareService), with
 * explicit props (the presets' thresholds and periods are config.spec's); how the environment
 * stack wires it is in the last block.
 */
import { Monitoring, type MonitoringProps } from "../src/constructs/monitoring";
import { bareService, bareStack } from "./bare-stack";
import { configOf, resource, synthEnvironment, type TerraformJson } from "./helpers";

/** A database the dashboard shows, by its metrics only. */
const DATABASE: MonitoringProps["database"] = {
  metric: (metricName) => ({ namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: "smh-dashboard-test-db" } }),
};

/** The alarms and dashboard of a service in a bare stack; `props` replace the defaults under test. */
function monitoring(props: Partial<MonitoringProps> = {}): TerraformJson {
  const bare = bareStack("test");
  const { loadBalancer, service } = bareService(bare);
  new Monitoring(bare.stack, "monitoring", {
    periodSeconds: 120,
    evaluationPeriods: 4,
    http5xxPerPeriod: 15,
    targetResponseSeconds: 3,
    highRiskPredictionsPerPeriod: 25,
    loadBalancer,
    metricNamespace: "TestNamespace",
    alerts: bare.alerts,
    service,
    database: DATABASE,
    context: bare.context,
    ...props,
  });
  return bare.synth();
}

const dashboardOf = (json: TerraformJson) => resource(json, "aws_cloudwatch_dashboard", "monitoring_dashboard").dashboard_body as string;

describe("Monitoring", () => {
  const json = monitoring();
  const alarm = (name: string) => resource(json, "aws_cloudwatch_metric_alarm", `monitoring_${name}`);

  test.each([
    ["unhealthy_targets", "UnHealthyHostCount", 0, "breaching"],
    ["target_5xx", "HTTPCode_Target_5XX_Count", 15, "notBreaching"],
    ["elb_5xx", "HTTPCode_ELB_5XX_Count", 15, "notBreaching"],
    ["response_time", "TargetResponseTime", 3, "notBreaching"],
  ])("%s: %s above %d for evaluationPeriods x periodSeconds notifies the alerts topic", (name, metric, threshold, missing) => {
    expect(alarm(name)).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: metric,
      threshold,
      comparison_operator: "GreaterThanThreshold",
      period: 120,
      evaluation_periods: 4,
      treat_missing_data: missing,
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
  });

  test("the high-risk spike alarm watches the app's custom metric in metricNamespace", () => {
    expect(alarm("high_risk_spike")).toMatchObject({
      namespace: "TestNamespace",
      metric_name: "HighRiskPredictionCount",
      statistic: "Sum",
      threshold: 25,
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
  });

  test("a dashboard shows ALB, ECS, prediction and (with a database) RDS metrics", () => {
    const body = dashboardOf(json);
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
    expect(dashboardOf(monitoring({ database: undefined }))).not.toContain("AWS/RDS");
  });
});

describe("the environment stack's monitoring", () => {
  const { json } = synthEnvironment("prod");

  test("takes the monitoring settings and the service's metric namespace, and notifies the environment's alerts topic", () => {
    const prod = configOf("prod").monitoring;
    expect(resource(json, "aws_cloudwatch_metric_alarm", "monitoring_target_5xx")).toMatchObject({
      threshold: prod.http5xxPerPeriod,
      period: prod.periodSeconds,
      evaluation_periods: prod.evaluationPeriods,
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
    expect(resource(json, "aws_cloudwatch_metric_alarm", "monitoring_high_risk_spike")).toMatchObject({
      namespace: "StudentMHDashboard",
      threshold: prod.highRiskPredictionsPerPeriod,
    });
  });

  test("thresholds and periods are settings", () => {
    const dev = synthEnvironment("dev", { monitoring: { http5xxPerPeriod: 50, periodSeconds: 300 } }).json;
    expect(resource(dev, "aws_cloudwatch_metric_alarm", "monitoring_target_5xx")).toMatchObject({ threshold: 50, period: 300, evaluation_periods: 5 });
    // dev has no database, so its dashboard shows none
    expect(dashboardOf(dev)).not.toContain("AWS/RDS");
  });

  test("the dashboard shows the environment's database, and its name is an output", () => {
    expect(dashboardOf(json)).toContain('"AWS/RDS"');
    expect(json.output?.dashboard_name.value).toBe("${aws_cloudwatch_dashboard.monitoring_dashboard.dashboard_name}");
  });
});
