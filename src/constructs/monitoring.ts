import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { type NameContext, resourceName } from "../naming";
import type { MonitoringConfig } from "../config";
import type { Alerts, NotifyingAlarmSpec } from "./alerts";
import type { LoadBalancer } from "./load-balancer";

/** The app's custom metrics (docs/architecture.md "Custom metrics"), in its namespace. */
export const PREDICTION_METRICS = { predictions: "PredictionCount", highRisk: "HighRiskPredictionCount" } as const;

export interface MonitoringProps {
  readonly config: MonitoringConfig;
  readonly loadBalancer: LoadBalancer;
  /** Namespace the app publishes its custom metrics in. */
  readonly metricNamespace: string;
  /** The alerts topic every alarm notifies. */
  readonly alerts: Alerts;
  /** ECS cluster and service names, for the dashboard. */
  readonly ecs: { readonly clusterName: string; readonly serviceName: string };
  /** RDS instance identifier, for the dashboard, when there is a database. @default none */
  readonly databaseIdentifier?: string;
  readonly region: string;
  readonly names: NameContext;
}

/** One metric of a dashboard widget: namespace, name, then dimension name/value pairs. */
type MetricLine = (string | Record<string, string>)[];

/**
 * The seed's notification alarms (unhealthy targets, 5XX spikes, high-risk spike) plus target
 * response time, all to the alerts topic.
 */
export class Monitoring extends Construct {
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const lb = { LoadBalancer: props.loadBalancer.alb.arnSuffix };
    const target = { ...lb, TargetGroup: props.loadBalancer.targetGroup.arnSuffix };
    const window = `${config.evaluationPeriods} x ${config.periodSeconds} s`;
    // No requests means no 5XX and no latency: silence is healthy. A missing host count is not.
    const specs: Record<string, Omit<NotifyingAlarmSpec, "period" | "evaluationPeriods">> = {
      "unhealthy-targets": {
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        statistic: "Maximum",
        threshold: 0,
        comparison: "GreaterThanThreshold",
        dimensions: target,
        description: `A dashboard task fails its health check (${window})`,
        missing: "breaching",
      },
      "target-5xx": {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        threshold: config.http5xxPerPeriod,
        comparison: "GreaterThanThreshold",
        dimensions: target,
        description: `More than ${config.http5xxPerPeriod} app 5XX responses per ${config.periodSeconds} s (${window})`,
        missing: "notBreaching",
      },
      "elb-5xx": {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        statistic: "Sum",
        threshold: config.http5xxPerPeriod,
        comparison: "GreaterThanThreshold",
        dimensions: lb,
        description: `More than ${config.http5xxPerPeriod} load balancer 5XX responses per ${config.periodSeconds} s (${window})`,
        missing: "notBreaching",
      },
      "response-time": {
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        statistic: "Average",
        threshold: config.targetResponseSeconds,
        comparison: "GreaterThanThreshold",
        dimensions: target,
        description: `Average response time above ${config.targetResponseSeconds} s (${window})`,
        missing: "notBreaching",
      },
      "high-risk-spike": {
        namespace: props.metricNamespace,
        metricName: PREDICTION_METRICS.highRisk,
        statistic: "Sum",
        threshold: config.highRiskPredictionsPerPeriod,
        comparison: "GreaterThanThreshold",
        description: `More than ${config.highRiskPredictionsPerPeriod} high-risk predictions per ${config.periodSeconds} s (${window}): check on the students concerned`,
        missing: "notBreaching",
      },
    };
    this.alarms = Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        props.alerts.alarm(this, name, { ...spec, period: config.periodSeconds, evaluationPeriods: config.evaluationPeriods }),
      ]),
    );

    const ecs = ["ClusterName", props.ecs.clusterName, "ServiceName", props.ecs.serviceName];
    const targetDims = ["LoadBalancer", lb.LoadBalancer, "TargetGroup", target.TargetGroup];
    const widget = (title: string, stat: string, metrics: MetricLine[]) => ({
      type: "metric",
      width: 12,
      height: 6,
      properties: { title, region: props.region, stat, period: config.periodSeconds, view: "timeSeries", metrics },
    });
    const widgets = [
      widget("ALB requests", "Sum", [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb.LoadBalancer]]),
      widget("ALB target response time (s)", "Average", [["AWS/ApplicationELB", "TargetResponseTime", ...targetDims]]),
      widget("5XX responses", "Sum", [
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...targetDims],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb.LoadBalancer],
      ]),
      widget("Healthy and unhealthy targets", "Maximum", [
        ["AWS/ApplicationELB", "HealthyHostCount", ...targetDims],
        ["AWS/ApplicationELB", "UnHealthyHostCount", ...targetDims],
      ]),
      widget("ECS CPU and memory (%)", "Average", [
        ["AWS/ECS", "CPUUtilization", ...ecs],
        ["AWS/ECS", "MemoryUtilization", ...ecs],
      ]),
      widget("Running tasks", "Average", [["ECS/ContainerInsights", "RunningTaskCount", ...ecs]]),
      widget("Predictions", "Sum", [
        [props.metricNamespace, PREDICTION_METRICS.predictions],
        [props.metricNamespace, PREDICTION_METRICS.highRisk],
      ]),
      ...(props.databaseIdentifier
        ? [
            widget("RDS CPU (%)", "Average", [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", props.databaseIdentifier]]),
            widget("RDS connections", "Average", [["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", props.databaseIdentifier]]),
          ]
        : []),
    ];
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: resourceName(props.names, "dashboard"),
      dashboardBody: Fn.jsonencode({ widgets }),
    });
  }
}
