/**
 * What every PostgreSQL database of the project shares, RDS instance and Aurora cluster alike,
 * primary region and standby: the port, the CA, Performance Insights, TLS-only parameters, the
 * enhanced-monitoring role, the app's IAM database user and sign-in grant, and the alarm shape.
 */
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { Alerts } from "./alerts";
import { arn, type DeploymentContext, managedPolicyArn } from "./context";
import { type Grantable, ServiceRole } from "./iam";
import type { Metric } from "./metric";
import type { ServicePort } from "./security-group";

export const POSTGRES_PORT = 5432;
/** PostgreSQL, as security group rules name it. */
export const POSTGRES: ServicePort = { id: "postgres", port: POSTGRES_PORT, protocol: "PostgreSQL" };

/** The CA every instance presents: RDS's RSA 2048 CA, valid to 2061. */
export const RDS_CA = "rds-ca-rsa2048-g1";

/** Days Performance Insights keeps its data: the free tier's 7 days. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/**
 * Major versions past standard support would otherwise move to paid RDS Extended Support
 * (`engine_lifecycle_support`).
 */
export const NO_EXTENDED_SUPPORT = "open-source-rds-extended-support-disabled";

/**
 * The database user the tasks connect as with IAM authentication wherever no password reaches
 * them (every standby, and a global database): created once on the writer (`CREATE USER
 * dashboard_app; GRANT rds_iam TO dashboard_app;` plus the app's grants, docs/operations.md and
 * docs/disaster-recovery.md); replicas have it from replication.
 */
export const APP_DB_USER = "dashboard_app";

/**
 * A TLS-only (`rds.force_ssl`) parameter group of a PostgreSQL instance of this project, of the
 * family of `major` (`postgres16`), with the id `id` in `scope`.
 */
export function tlsOnlyParameters(scope: Construct, id: string, identifier: string, major: string, description: string): DbParameterGroup {
  return new DbParameterGroup(scope, id, {
    // Each group's name is unique (name_prefix): a group replaced for another family is created
    // before the old one goes (DBParameterGroupAlreadyExists otherwise), and two families' groups
    // live side by side during a major upgrade (postgres-instance.ts).
    namePrefix: `${identifier}-postgres${major}-`,
    family: `postgres${major}`,
    description,
    parameter: [{ name: "rds.force_ssl", value: "1" }],
    tags: { Name: `${identifier}-postgres${major}` },
    lifecycle: { createBeforeDestroy: true },
  });
}

/**
 * Lets `grantee` sign in with IAM database authentication as `user` on the database (instance
 * or cluster) whose resource id is `resourceId`, and nowhere else (statement `sid`).
 */
export function grantIamConnect(grantee: Grantable, context: DeploymentContext, sid: string, resourceId: string, user: string): void {
  grantee.addStatements({
    sid,
    effect: "Allow",
    actions: ["rds-db:connect"],
    resources: [arn(context, { service: "rds-db", resource: `dbuser:${resourceId}/${user}` })],
  });
}

/**
 * The role RDS enhanced monitoring publishes with (id `monitoring-role` in `scope`), when it
 * samples at all (interval > 0), named `<project>-<env>-<role>` (an instance and an Aurora
 * cluster of one stack each have their own).
 */
export function enhancedMonitoringRole(
  scope: Construct,
  context: DeploymentContext,
  intervalSeconds: number,
  role = "rds-monitoring",
): ServiceRole | undefined {
  return intervalSeconds > 0
    ? new ServiceRole(scope, "monitoring-role", {
        context,
        name: resourceName(context.names, role),
        service: "monitoring.rds.amazonaws.com",
        managedPolicyArns: [managedPolicyArn(context, "service-role/AmazonRDSEnhancedMonitoringRole")],
      })
    : undefined;
}

/** What an RDS alarm watches and when it fires. */
export interface RdsAlarmSpec {
  readonly metric: Metric;
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly description: string;
}

/**
 * An alarm (id `id` in `scope`) on a database's average over two 5-minute periods, notifying
 * `alerts`; a database that stops reporting is itself a problem, so no data counts as breaching.
 */
export function rdsAlarm(alerts: Alerts, scope: Construct, id: string, spec: RdsAlarmSpec): CloudwatchMetricAlarm {
  return alerts.alarm(scope, id, {
    ...spec.metric,
    statistic: "Average",
    period: 300,
    evaluationPeriods: 2,
    comparison: spec.comparison,
    threshold: spec.threshold,
    description: spec.description,
    missing: "breaching",
  });
}
