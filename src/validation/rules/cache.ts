import { cacheIdProblems, cacheVersionProblems } from "../../constructs/cache";
import { drStackName } from "../../config/naming";
import { inSection } from "../../config/problem";
import type { Rule } from "./rule";

/** The cache holds session and prediction data: encrypted at rest and in transit where data is protected. */
export const protectedCacheEncrypted: Rule = (c) =>
  c.cache.enabled && c.protectData && !c.cache.encrypted
    ? [
        {
          path: "cache.encrypted",
          message:
            "is false while protectData is on: the cache would hold student data unencrypted at rest and on the wire, and without TLS it cannot use IAM authentication. Fix: set cache.encrypted to true (or protectData to false outside production).",
        },
      ]
    : [];

/** The cache engine version must exist for the engine and support IAM authentication, by the Cache construct's rule. */
export const cacheVersionSupported: Rule = (c) => (c.cache.enabled ? cacheVersionProblems(c.cache, inSection("cache")) : []);

/** ElastiCache ids: 40 characters at most, no double hyphen, in both regions. */
export const cacheNamesValid: Rule = (c) => {
  if (!c.cache.enabled) return [];
  const names = [
    { project: c.project, environment: c.environment },
    ...(c.dr.enabled ? [{ project: c.project, environment: drStackName(c.environment) }] : []),
  ];
  return names.flatMap((n) => cacheIdProblems(n, c.cache.engine));
};
