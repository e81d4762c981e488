/**
 * The instance classes and node types AWS offers for the engines the project runs, by family:
 * the offline plan does not check them, so a class that does not exist ("db.t3.mega") would only
 * fail at `cdktf deploy`. Current-generation families only; a family AWS offers that is missing
 * here is refused with the fix to add it from the page cited.
 *
 * Sources:
 * - RDS for PostgreSQL: RDS User Guide, "Supported DB engines for DB instance classes"
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html).
 * - Aurora PostgreSQL: Aurora User Guide, "Supported DB engines for DB instance classes"
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html);
 *   Aurora PostgreSQL has no micro or small burstable class.
 * - ElastiCache (Valkey and Redis OSS take the same node types): ElastiCache API Reference,
 *   CacheNode (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html),
 *   current generation; T2 is left out, ElastiCache no longer creates clusters on it.
 */

/** Sizes of each family, by family ("db.t3"). */
export type ClassTable = Readonly<Record<string, readonly string[]>>;

const GRAVITON = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const INTEL_5 = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
const INTEL_6 = [...INTEL_5, "32xlarge"];
const BURSTABLE = ["micro", "small", "medium", "large", "xlarge", "2xlarge"];

/** RDS for PostgreSQL instance classes. */
export const RDS_POSTGRESQL_CLASSES: ClassTable = {
  "db.t3": BURSTABLE,
  "db.t4g": BURSTABLE,
  "db.m5": INTEL_5,
  "db.m6g": GRAVITON,
  "db.m6i": INTEL_6,
  "db.m7g": GRAVITON,
  "db.r5": INTEL_5,
  "db.r6g": GRAVITON,
  "db.r6i": INTEL_6,
  "db.r7g": GRAVITON,
};

/** Aurora PostgreSQL instance classes; db.serverless is Serverless v2. */
export const AURORA_POSTGRESQL_CLASSES: ClassTable = {
  "db.t3": ["medium", "large"],
  "db.t4g": ["medium", "large"],
  "db.r5": INTEL_5,
  "db.r6g": GRAVITON,
  "db.r6i": INTEL_6,
  "db.r7g": GRAVITON,
  "db.x2g": GRAVITON,
};

/** ElastiCache node types for Valkey and Redis OSS. */
export const ELASTICACHE_NODE_TYPES: ClassTable = {
  "cache.t3": ["micro", "small", "medium"],
  "cache.t4g": ["micro", "small", "medium"],
  "cache.m5": ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"],
  "cache.m6g": GRAVITON,
  "cache.m7g": GRAVITON,
  "cache.r5": ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"],
  "cache.r6g": GRAVITON,
  "cache.r7g": GRAVITON,
};

/** Why `value` is not a class of `table`, as a rule (`must be ...`) and a fix, or undefined when it is one. */
export function classRefusal(value: string, table: ClassTable, what: string): { rule: string; fix: string } | undefined {
  const dot = value.lastIndexOf(".");
  const [family, size] = [value.slice(0, dot), value.slice(dot + 1)];
  const sizes = table[family];
  if (!sizes) {
    const families = Object.keys(table);
    return {
      rule: `must be ${what}; there is no family ${family} (${families.join(", ")})`,
      fix: `use one of those families, e.g. "${families[0]}.${table[families[0]][0]}"; if AWS's page lists the family, add it to src/aws/instance-classes.ts`,
    };
  }
  return sizes.includes(size)
    ? undefined
    : { rule: `must be ${what}; ${family} comes in ${sizes.join(", ")}`, fix: `use one of those sizes, e.g. "${family}.${sizes[0]}"` };
}
