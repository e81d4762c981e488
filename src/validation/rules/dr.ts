import { httpsCertificateProblems } from "../../constructs/load-balancer";
import type { Rule } from "./rule";
import { certificatePlaceProblems } from "./serving";

/** A standby that serves needs the data to serve from. */
export const drStandbyHasReplica: Rule = (c) =>
  c.dr.enabled && c.dr.mode !== "pilot-light" && c.database.enabled && !c.dr.databaseReplica
    ? [
        {
          path: "dr.mode",
          message: `is "${c.dr.mode}" but dr.databaseReplica is false while the environment has a database: ${c.dr.mode === "active" ? "there is no replica to promote" : "the standby would serve without its data"}. Fix: set dr.databaseReplica to true, or dr.mode to "pilot-light".`,
        },
      ]
    : [];

/** A serving standby needs what the primary serves with: the bucket replicas, and a certificate for HTTPS. */
export const drStandbyCanServe: Rule = (c) => {
  const dr = c.dr;
  if (!dr.enabled) return [];
  const problems: ReturnType<Rule> = [];
  for (const role of ["Models", "Data"] as const) {
    if (!c.storage[`replicate${role}`]) {
      problems.push({
        path: `storage.replicate${role}`,
        message: `is false while dr.enabled: the standby reads the ${role.toLowerCase()} bucket's replica in ${c.stateRegion}. Fix: set storage.replicate${role} to true, or dr.enabled to false.`,
      });
    }
  }
  // The standby ALB serves HTTPS too: the LoadBalancer construct's rule, with the standby's certificate.
  const standbyAlb = { httpsEnabled: c.loadBalancer.httpsEnabled, certificateArn: dr.certificateArn };
  problems.push(...httpsCertificateProblems(standbyAlb, (prop) => (prop === "certificateArn" ? "dr.certificateArn" : `loadBalancer.${prop}`), c.stateRegion));
  problems.push(
    ...certificatePlaceProblems(
      "dr.certificateArn",
      dr.certificateArn,
      { accountId: c.accountId, region: c.stateRegion },
      `the standby ALB needs a certificate in ${c.stateRegion}`,
    ),
  );
  if (dr.failoverOrigin && !c.edge.cloudfront.enabled) {
    problems.push({
      path: "dr.failoverOrigin",
      message: "is set but edge.cloudfront.enabled is false: only CloudFront fails over between origins. Fix: remove dr.failoverOrigin, or turn CloudFront on.",
    });
  }
  if (dr.failoverOrigin && dr.mode === "pilot-light") {
    problems.push({
      path: "dr.failoverOrigin",
      message:
        'is set while dr.mode is "pilot-light": the standby runs no task, so failing over to it would answer 503. Fix: set dr.mode to "warm-standby", or remove dr.failoverOrigin until then.',
    });
  }
  return problems;
};
