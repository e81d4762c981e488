import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { MonitoringConfig } from "../config";
import type { Alerts, NotifyingAlarmSpec } from "./alerts";
import type { LoadBalancer } from "./load-balancer";

/** The app's custom metrics (README "Custom metrics"), in its namespace. */
export const PREDICTION_METRICS = { predictions: "PredictionCount", highRisk: "HighRiskPredictionCount" } as const;

export interface MonitoringProps {
  readonly config: MonitoringConfig;
  readonly loadBalancer: LoadBalancer;
  /** Namespace the app publishes its custom metrics in. */
  readonly metricNamespace: string;
  /** The alerts topic every alarm notifies. */
  readonly alerts: Alerts;
}

/**
 * The seed's notification alarms (unhealthy targets, 5XX spikes, high-risk spike) plus target
 * response time, all to the alerts topic.
 */
export class Monitoring extends Construct {
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

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
  }
}
