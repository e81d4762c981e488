import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { MonitoringConfig } from "../config/schema";
import { resourceName } from "../config/naming";
import type { Alerts, NotifyingAlarmSpec } from "./alerts";
import type { DeploymentContext } from "./context";
import type { Database } from "./database";
import type { LoadBalancer } from "./load-balancer";
import { type Metric, metricLine } from "./metric";
import type { Service } from "./service";

/** The app's custom metrics (docs/architecture.md "Custom metrics"), in its namespace. */
export const PREDICTION_METRICS = { predictions: "PredictionCount", highRisk: "HighRiskPredictionCount" } as const;

/**
 * The alarms that fire while the service runs no task, which working hours silence at night:
 * without targets the unhealthy-host count may stop (a missing count breaches), and the ALB
 * answers every request with a 503 of its own.
 */
export const ALARMS_WITHOUT_TASKS = ["unhealthy-targets", "elb-5xx"] as const;

export interface MonitoringProps extends Readonly<MonitoringConfig> {
  readonly loadBalancer: LoadBalancer;
  /** Namespace the app publishes its custom metrics in. */
  readonly metricNamespace: string;
  /** The alerts topic every alarm notifies. */
  readonly alerts: Alerts;
  /** The ECS service, whose CPU, memory and tasks the dashboard shows. */
  readonly service: Service;
  /** The tasks' database (an RDS instance or an Aurora cluster), for the dashboard. @default none */
  readonly database?: Pick<Database, "metric">;
  /** Region of the dashboard's widgets, and the names. */
  readonly context: DeploymentContext;
}

/**
 * The seed's notification alarms (unhealthy targets, 5XX spikes, high-risk spike) plus target
 * response time, all to the alerts topic.
 */
export class Monitoring extends Construct {
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  /** The alarms among them that fire while no task runs (ALARMS_WITHOUT_TASKS), by name. */
  public readonly alarmsWithoutTasks: Readonly<Record<string, CloudwatchMetricAlarm>>;
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarms = Object.fromEntries(
      Object.entries(alarmSpecs(props)).map(([name, spec]) => [
        name,
        props.alerts.alarm(this, name, { ...spec, period: props.periodSeconds, evaluationPeriods: props.evaluationPeriods }),
      ]),
    );
    this.alarmsWithoutTasks = Object.fromEntries(ALARMS_WITHOUT_TASKS.map((name) => [name, this.alarms[name]]));
    const { loadBalancer: alb, service } = props;
    const app = (metricName: string): Metric => ({ namespace: props.metricNamespace, metricName, dimensions: {} });
    const widget = (title: string, stat: string, metrics: Metric[]) => ({
      type: "metric",
      width: 12,
      height: 6,
      properties: { title, region: props.context.region, stat, period: props.periodSeconds, view: "timeSeries", metrics: metrics.map(metricLine) },
    });
    const widgets = [
      widget("ALB requests", "Sum", [alb.metric("RequestCount")]),
      widget("ALB target response time (s)", "Average", [alb.metricTargets("TargetResponseTime")]),
      widget("5XX responses", "Sum", [alb.metricTargets("HTTPCode_Target_5XX_Count"), alb.metric("HTTPCode_ELB_5XX_Count")]),
      widget("Healthy and unhealthy targets", "Maximum", [alb.metricTargets("HealthyHostCount"), alb.metricTargets("UnHealthyHostCount")]),
      widget("ECS CPU and memory (%)", "Average", [service.metricCpu(), service.metricMemory()]),
      widget("Running tasks", "Average", [service.metricRunningTasks()]),
      widget("Predictions", "Sum", [app(PREDICTION_METRICS.predictions), app(PREDICTION_METRICS.highRisk)]),
      ...(props.database
        ? [
            widget("RDS CPU (%)", "Average", [props.database.metric("CPUUtilization")]),
            widget("RDS connections", "Average", [props.database.metric("DatabaseConnections")]),
          ]
        : []),
    ];
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: resourceName(props.context.names, "dashboard"),
      dashboardBody: Fn.jsonencode({ widgets }),
    });
  }
}

/**
 * The alarms by name, on the load balancer and the app's namespace. No requests means no 5XX and
 * no latency: silence is healthy. A missing host count is not.
 */
function alarmSpecs(props: MonitoringProps): Record<string, Omit<NotifyingAlarmSpec, "period" | "evaluationPeriods">> {
  const alb = props.loadBalancer;
  const window = `${props.evaluationPeriods} x ${props.periodSeconds} s`;
  return {
    "unhealthy-targets": {
      ...alb.metricTargets("UnHealthyHostCount"),
      statistic: "Maximum",
      threshold: 0,
      comparison: "GreaterThanThreshold",
      description: `A dashboard task fails its health check (${window})`,
      missing: "breaching",
    },
    "target-5xx": {
      ...alb.metricTargets("HTTPCode_Target_5XX_Count"),
      statistic: "Sum",
      threshold: props.http5xxPerPeriod,
      comparison: "GreaterThanThreshold",
      description: `More than ${props.http5xxPerPeriod} app 5XX responses per ${props.periodSeconds} s (${window})`,
      missing: "notBreaching",
    },
    "elb-5xx": {
      ...alb.metric("HTTPCode_ELB_5XX_Count"),
      statistic: "Sum",
      threshold: props.http5xxPerPeriod,
      comparison: "GreaterThanThreshold",
      description: `More than ${props.http5xxPerPeriod} load balancer 5XX responses per ${props.periodSeconds} s (${window})`,
      missing: "notBreaching",
    },
    "response-time": {
      ...alb.metricTargets("TargetResponseTime"),
      statistic: "Average",
      threshold: props.targetResponseSeconds,
      comparison: "GreaterThanThreshold",
      description: `Average response time above ${props.targetResponseSeconds} s (${window})`,
      missing: "notBreaching",
    },
    "high-risk-spike": {
      namespace: props.metricNamespace,
      metricName: PREDICTION_METRICS.highRisk,
      statistic: "Sum",
      threshold: props.highRiskPredictionsPerPeriod,
      comparison: "GreaterThanThreshold",
      description: `More than ${props.highRiskPredictionsPerPeriod} high-risk predictions per ${props.periodSeconds} s (${window}): check on the students concerned`,
      missing: "notBreaching",
    },
  };
}
