/**
 * The engine versions AWS offers for the 100,000-user tier, one definition for the settings'
 * validation, the constructs (parameter group families) and the documents.
 */

/** What the project needs to know about one Aurora PostgreSQL major version. */
export interface AuroraMajor {
  /** The major's long-term-support minor, the version the presets pick. */
  readonly lts: string;
  /**
   * The first minor whose secondary clusters forward writes to the primary (global write
   * forwarding); undefined when the major has none. AWS: "In Aurora PostgreSQL version 16 and
   * higher major versions, global write forwarding is supported in all minor versions. For
   * earlier Aurora PostgreSQL versions, [...] 15.4 and higher minor versions, and version 14.9
   * and higher" (Aurora User Guide, "Using write forwarding in an Aurora PostgreSQL global
   * database").
   */
  readonly writeForwardingFrom?: string;
}

/**
 * Every Aurora PostgreSQL major version AWS has released that is still listed, with its LTS
 * minor (Aurora PostgreSQL release notes, "Aurora PostgreSQL long-term support (LTS) releases":
 * 17.7, 16.8, 15.10, 14.6, 13.9, 12.9, 11.9). A version whose major is not here does not exist
 * as Aurora PostgreSQL; add a major when AWS releases it.
 */
export const AURORA_POSTGRESQL_MAJORS: Readonly<Record<string, AuroraMajor>> = {
  "11": { lts: "11.9" },
  "12": { lts: "12.9" },
  "13": { lts: "13.9" },
  "14": { lts: "14.6", writeForwardingFrom: "14.9" },
  "15": { lts: "15.10", writeForwardingFrom: "15.4" },
  "16": { lts: "16.8", writeForwardingFrom: "16.0" },
  "17": { lts: "17.7", writeForwardingFrom: "17.0" },
};

/** The major of a version: `15` of `15.10`. */
export const majorOf = (version: string): string => version.split(".")[0];

/** Whether `version` (major.minor) is at or above `from` (major.minor). */
export function atLeast(version: string, from: string): boolean {
  const [a, b] = [version, from].map((v) => v.split(".").map(Number));
  return a[0] !== b[0] ? a[0] > b[0] : (a[1] ?? 0) >= (b[1] ?? 0);
}

/** The ElastiCache engines: Valkey (the default) and Redis OSS. */
export type CacheEngine = "valkey" | "redis";

/**
 * The ElastiCache versions the cache accepts per engine, each with its parameter group family.
 * Only versions with IAM authentication: "IAM authentication is available when using
 * ElastiCache with Valkey 7.2 and above or Redis OSS 7.0 and above" (ElastiCache User Guide,
 * "Authenticating with IAM", Limitations).
 */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<CacheEngine, Readonly<Record<string, string>>>> = {
  valkey: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8" },
  redis: { "7.0": "redis7", "7.1": "redis7" },
};

/**
 * The RDS for PostgreSQL major versions this project deploys (the schema refuses anything
 * before 15): the ones AWS has released for RDS, oldest first. A major upgrade goes from one of
 * them to a later one; RDS lets the newer minors of a major skip majors ("In some cases, you can
 * skip to a higher major version when upgrading", RDS User Guide, "Choosing a major version for
 * an RDS for PostgreSQL upgrade"), and which minor it takes is RDS's table
 * (`aws rds describe-db-engine-versions --engine postgres --engine-version <version> --query
 * "DBEngineVersions[*].ValidUpgradeTarget[*].EngineVersion"`). Add a major when AWS releases it.
 */
export const RDS_POSTGRESQL_MAJORS: readonly string[] = ["15", "16", "17", "18"];

/** The setting that says a major upgrade of the RDS instance is under way, and from which major (database.majorUpgradeFrom). */
export const MAJOR_UPGRADE_SETTING = "database.majorUpgradeFrom";
