/** A CloudWatch metric of a construct: what alarms and dashboards read, without repeating names. */
export interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name to value, in the order dashboards list them. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A dashboard widget's metric line: namespace, name, then dimension name/value pairs. */
export function metricLine(metric: Metric): string[] {
  return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat()];
}
