import { bucketName } from "./naming";
import type { EnvironmentConfig } from "./schema";

/** Roles of the buckets an environment may have. */
export type BucketRole = "models" | "data" | "logs" | "static" | "modelsReplica" | "dataReplica" | "drLogs";

/**
 * The physical name of every bucket an environment may create, whether or not a switch turns it
 * on, so that configuration validation checks all of them.
 */
export function bucketNames(c: EnvironmentConfig): Record<BucketRole, string> {
  const suffix = c.storage.bucketSuffix ?? c.accountId;
  const primary = { project: c.project, environment: c.environment, region: c.region, suffix };
  const dr = { ...primary, region: c.stateRegion };
  return {
    models: bucketName(primary, "models"),
    data: bucketName(primary, "data"),
    logs: bucketName(primary, "logs"),
    static: bucketName(primary, "static"),
    modelsReplica: bucketName(dr, "models-replica"),
    dataReplica: bucketName(dr, "data-replica"),
    // The standby's ALB access logs (the <env>-dr stack).
    drLogs: bucketName(dr, "logs"),
  };
}
