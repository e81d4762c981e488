import { cacheIds, drStackName, elastiCacheIdProblems } from "../../naming";
import { CACHE_ENGINE_VERSIONS } from "../engines";
import type { Rule } from "./rule";

/** The cache holds session and prediction data: encrypted at rest and in transit where data is protected. */
export const protectedCacheEncrypted: Rule = (c) =>
  c.cache.enabled && c.protectData && !c.cache.encrypted
    ? [
        {
          path: "cache.encrypted",
          message: "is false while protectData is on: the cache would hold student data unencrypted at rest and on the wire, and without TLS it cannot use IAM authentication. Fix: set cache.encrypted to true (or protectData to false outside production).",
        },
      ]
    : [];

/** The cache engine version must exist for the engine and support IAM authentication. */
export const cacheVersionSupported: Rule = (c) => {
  if (!c.cache.enabled) return [];
  const versions = Object.keys(CACHE_ENGINE_VERSIONS[c.cache.engine]);
  return versions.includes(c.cache.engineVersion)
    ? []
    : [{ path: "cache.engineVersion", message: `"${c.cache.engineVersion}" is not a ${c.cache.engine} version the cache supports with IAM authentication. Fix: use one of ${versions.join(", ")}.` }];
};

/** A replication group across two zones, with automatic failover, needs a second zone. */
export const cacheNeedsTwoZones: Rule = (c) =>
  c.cache.enabled && new Set(c.availabilityZones).size < 2
    ? [{ path: "cache.enabled", message: "is true but only one availability zone is configured; the cache's replica and automatic failover need a second zone. Fix: list two availabilityZones." }]
    : [];

/** ElastiCache ids: 40 characters at most, no double hyphen, in both regions. */
export const cacheNamesValid: Rule = (c) => {
  if (!c.cache.enabled) return [];
  const names = [{ project: c.project, environment: c.environment }, ...(c.dr.enabled ? [{ project: c.project, environment: drStackName(c.environment) }] : [])];
  return names.flatMap((n) => cacheIds(n, c.cache.engine)).flatMap((name) =>
    elastiCacheIdProblems(name).map((problem) => ({ path: "project", message: `gives the ElastiCache id ${problem}. Fix: shorten project or environment.` })),
  );
};
