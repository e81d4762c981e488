import type { EnvironmentConfig } from "./schema";
import type { DeepPartial } from "./presets";

/**
 * The seed's scaling path ("Scalability"), as presets applied over the environment preset and
 * under the user's own settings (`size` in the settings).
 */
export const SIZE_PRESETS = {
  /** Seed: "100 users: current config sufficient". */
  "100-users": {},
  /** Seed: "1,000 users: increase to db.t3.small, 4-8 ECS tasks". */
  "1000-users": {
    service: { desiredCount: 4, minCount: 4, maxCount: 8 },
    database: { instanceClass: "db.t3.small" },
  },
  /** Seed: "10,000 users: db.r5.large, 10-20 ECS tasks, enable caching" (CloudFront). */
  "10000-users": {
    service: { desiredCount: 10, minCount: 10, maxCount: 20 },
    database: { instanceClass: "db.r5.large" },
    storage: { staticAssets: true },
    edge: { cloudfront: { enabled: true } },
  },
  /**
   * Seed: "100,000+ users: multi-region, Aurora, ElastiCache, larger instances": Aurora
   * PostgreSQL (a writer and a reader of db.r6g.xlarge; a global database with the DR region
   * where the environment has a standby), a Valkey cache, and a standby that serves half the
   * viewers (dr.mode "serving") where the environment has one. The instance class stays for an
   * environment that still has its RDS instance (database.migration "instance-kept" until
   * the move to Aurora retires it).
   */
  "100000-users": {
    service: { cpu: 1024, memory: 2048, desiredCount: 20, minCount: 20, maxCount: 40 },
    database: {
      instanceClass: "db.r5.xlarge",
      engine: "aurora-postgresql",
      aurora: { instanceClass: "db.r6g.xlarge", readers: 1 },
    },
    cache: { enabled: true, nodeType: "cache.r7g.large" },
    storage: { staticAssets: true },
    edge: { cloudfront: { enabled: true } },
    dr: { mode: "serving", standbyTrafficPercent: 50 },
  },
} as const satisfies Record<string, DeepPartial<EnvironmentConfig>>;

export type SizeName = keyof typeof SIZE_PRESETS;

/** Users each size is meant for, to scale traffic assumptions (cost estimate). */
export const SIZE_USERS: Readonly<Record<SizeName, number>> = {
  "100-users": 100,
  "1000-users": 1000,
  "10000-users": 10000,
  "100000-users": 100000,
};
