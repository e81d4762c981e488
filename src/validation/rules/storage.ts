import { logsTransitionProblems } from "../../constructs/storage";
import { bucketNameProblems } from "../../config/naming";
import { bucketNames } from "../../config/buckets";
import type { Rule } from "./rule";

export const bucketNamesValid: Rule = (c) =>
  Object.values(bucketNames(c)).flatMap((name) =>
    bucketNameProblems(name).map((problem) => ({
      path: "storage.bucketSuffix",
      message: `gives the bucket name ${problem}. Fix: shorten project or storage.bucketSuffix.`,
    })),
  );

export const protectedDataIsNotForceDestroyed: Rule = (c) =>
  c.protectData && c.storage.forceDestroy
    ? [
        {
          path: "storage.forceDestroy",
          message:
            "is true while protectData is on; a destroy would delete every object. Fix: set storage.forceDestroy to false (or protectData to false outside production).",
        },
      ]
    : [];

export const logsExpireAfterTransition: Rule = (c) =>
  c.storage.logsExpirationDays <= c.storage.logsTransitionDays
    ? [
        {
          path: "storage.logsExpirationDays",
          message: `${c.storage.logsExpirationDays} is not after storage.logsTransitionDays ${c.storage.logsTransitionDays}. Fix: expire logs after they move to STANDARD_IA (seed: 30 then 90).`,
        },
      ]
    : [];

/** Logs move to STANDARD_IA only once S3 allows it, by the logs bucket's rule. */
export const logsTransitionAccepted: Rule = (c) =>
  logsTransitionProblems({ transitionDays: c.storage.logsTransitionDays }, (prop) =>
    prop === "transitionDays" ? "storage.logsTransitionDays" : `storage.${prop}`,
  );
