/** SECURITY.md's table of the web ACL's rules, from the rule data the Waf construct builds the ACL from. */
import { CHALLENGE_IMMUNITY_SECONDS, MANAGED_RULE_GROUPS, RATE_LIMITS, type RateLimits, type RuleOverride } from "../../../src/constructs/waf";

/** SECURITY.md's table of the web ACL's rules, with the rate limits of an environment's settings. */
export function webAclReference(limits: RateLimits): string {
  const actionText = (o: RuleOverride) =>
    o.action === "challenge" ? `challenge (a passed challenge counts for ${CHALLENGE_IMMUNITY_SECONDS / 3600} hours)` : o.action;
  const rows = [
    ...MANAGED_RULE_GROUPS.flatMap((group, i) => [
      `| ${i + 1} | \`${group.name}\` | its rules' own actions | ${group.why} |`,
      ...(group.overrides ?? []).map((o) => `| | its rule \`${o.rule}\` | ${actionText(o)} | ${o.why} |`),
    ]),
    ...RATE_LIMITS.map(
      (r, i) =>
        `| ${MANAGED_RULE_GROUPS.length + i + 1} | \`${r.name}\` | block above ${r.limit(limits)} requests per 5 minutes from one ${r.anonymousOnly ? "address labelled AnonymousIPList" : "address"} | ${r.why} |`,
    ),
  ];
  return ["| Priority | Rule | Action | Why |", "|---|---|---|---|", ...rows].join("\n");
}
