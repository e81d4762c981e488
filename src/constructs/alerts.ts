import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { type NameContext, PRIMARY_ID, resourceName } from "../config/naming";
import type { DeploymentContext } from "./context";
import { CustomerKey } from "./keys";
import type { Metric } from "./metric";

export interface AlertsProps {
  readonly context: DeploymentContext;
  /** E-mail subscribed to the topic (the recipient must confirm). @default none */
  readonly email?: string;
}

/** A single-metric alarm that notifies the alerts topic: what an ops reviewer reads in the plan. */
export interface NotifyingAlarmSpec extends Omit<Metric, "dimensions"> {
  /** @default none (a metric without dimensions, e.g. the app's own) */
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly threshold: number;
  readonly comparison: string;
  readonly description: string;
  /** Seconds each datapoint covers. */
  readonly period: number;
  /** Datapoints that must breach. */
  readonly evaluationPeriods: number;
  /** How periods without data count. */
  readonly missing: "notBreaching" | "breaching";
}

/**
 * The alerts topic every alarm notifies (seed "SNS Alerts"), encrypted with its own KMS key:
 * CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed aws/sns key.
 */
export class Alerts extends Construct {
  public readonly topic: SnsTopic;
  public readonly key: KmsKey;
  private readonly names: NameContext;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const { context } = props;
    this.names = context.names;
    this.key = new CustomerKey(this, "key", {
      context,
      alias: resourceName(context.names, "alerts"),
      description: `Encrypts the ${resourceName(context.names, "alerts")} SNS topic`,
      serviceStatements: [
        {
          sid: "CloudWatchAlarmsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] }],
        },
      ],
    }).key;
    this.topic = new SnsTopic(this, PRIMARY_ID, {
      name: resourceName(context.names, "alerts"),
      kmsMasterKeyId: this.key.arn,
    });
    if (props.email) {
      new SnsTopicSubscription(this, "email", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: props.email,
      });
    }
  }

  /**
   * An alarm in `scope` (its Terraform address is `scope`'s path plus `id`) that notifies this
   * topic when it fires and when it recovers.
   */
  alarm(scope: Construct, id: string, spec: NotifyingAlarmSpec): CloudwatchMetricAlarm {
    return new CloudwatchMetricAlarm(scope, id, {
      alarmName: resourceName(this.names, id),
      alarmDescription: spec.description,
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: spec.dimensions && { ...spec.dimensions },
      statistic: spec.statistic,
      period: spec.period,
      evaluationPeriods: spec.evaluationPeriods,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison,
      treatMissingData: spec.missing,
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    });
  }
}
