/**
 * docs/disaster-recovery.md's recovery tables, generated from the failover runbook's steps and
 * budgets (ops/dr-runbook.ts) for the ways prod's standby can stand.
 */
import type { EnvironmentConfig } from "../../../src/validation";
import { AURORA_GLOBAL, DECISION_MINUTES, detection, failoverSteps, recoveryMinutes } from "../ops/dr-runbook";

/** The RTO budget table of a failover in `config`'s mode. */
export function budgetTable(config: EnvironmentConfig): string {
  const rows = [
    ["Alarms fire", detection(config)],
    [
      "An operator starts `npm run failover`",
      { minutes: DECISION_MINUTES, source: "assumed: on-call acknowledges the alert and decides (not measurable here)" },
    ],
    ...failoverSteps(config).flatMap((s) => (s.budget ? [[s.title, s.budget] as const] : [])),
  ] as const;
  const [low, high] = recoveryMinutes(config);
  return [
    "| Step | Minutes | Source of the figure |",
    "|---|---:|---|",
    ...rows.map(([title, b]) => `| ${title} | ${b.minutes[0]}-${b.minutes[1]} | ${b.source} |`),
    `| **From the outage** | **${low}-${high}** | |`,
  ].join("\n");
}

/** A way prod's standby can stand, as settings over the environment's. */
export interface RecoveryCase {
  readonly name: string;
  readonly settings: Record<string, unknown>;
}

const STANDBY_ORIGIN = { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" };

/** The three ways prod's standby can stand with the RDS instance. */
export const RECOVERY_CASES: readonly RecoveryCase[] = [
  { name: "warm-standby with CloudFront's origin group (dr.failoverOrigin set)", settings: { dr: { mode: "warm-standby", failoverOrigin: STANDBY_ORIGIN } } },
  { name: "warm-standby before dr.failoverOrigin is set", settings: { dr: { mode: "warm-standby" } } },
  { name: "pilot-light", settings: { dr: { mode: "pilot-light" } } },
];

/** The ways prod's standby can stand with an Aurora Global Database (size 100000-users). */
export const AURORA_RECOVERY_CASES: readonly RecoveryCase[] = [
  {
    name: "100000-users, serving (both regions serve, dr.failoverOrigin set)",
    settings: { size: "100000-users", dr: { mode: "serving", failoverOrigin: STANDBY_ORIGIN } },
  },
  {
    name: "100000-users, warm-standby with the origin group",
    settings: { size: "100000-users", dr: { mode: "warm-standby", standbyTrafficPercent: 0, failoverOrigin: STANDBY_ORIGIN } },
  },
  { name: "100000-users, pilot-light (headless secondary)", settings: { size: "100000-users", dr: { mode: "pilot-light", standbyTrafficPercent: 0 } } },
];

/** docs/disaster-recovery.md's generated budget: one table per case, for `configFor(case settings)`. */
export function budgetReference(configFor: (settings: Record<string, unknown>) => EnvironmentConfig, cases: readonly RecoveryCase[] = RECOVERY_CASES): string {
  return cases
    .map((c) => {
      const config = configFor(c.settings);
      const [low, high] = recoveryMinutes(config);
      return [`#### ${config.environment}, ${c.name}: ${low}-${high} min`, "", budgetTable(config)].join("\n");
    })
    .join("\n\n");
}

/**
 * docs/disaster-recovery.md's RTO and RPO by failure with Aurora (size 100000-users): what
 * changes against the RDS instance, each figure from the runbook's budget or AWS's documents.
 */
export function auroraRecoveryTable(configFor: (settings: Record<string, unknown>) => EnvironmentConfig): string {
  const [serving, warm, pilot] = AURORA_RECOVERY_CASES.map((c) => configFor(c.settings));
  const span = (config: EnvironmentConfig) => recoveryMinutes(config).join("-");
  const lagAlarm = serving.database.aurora.alarms.globalLagSeconds;
  const rpo = `the secondary's lag at the moment of failure: typically under a second (${AURORA_GLOBAL.lag}); the AuroraGlobalDBRPOLag alarm fires above ${lagAlarm} s. Objects in S3 as with the instance`;
  return [
    "| Failure | What happens with Aurora | RTO | RPO |",
    "|---|---|---|---|",
    `| One availability zone fails | Aurora promotes a reader in another zone to writer (database.aurora.readers >= 1); the cache promotes its replica (automatic failover, Multi-AZ) | writes resume once the reader is promoted (the Aurora User Guide, "High availability for Amazon Aurora", gives no duration) | 0 (Aurora's storage keeps six copies over three zones; a reader is not a copy) |`,
    `| The region fails, serving (the 100000-users preset) | Viewers who start at the standby (dr.standbyTrafficPercent) read on without a break; the others' reads fail over per request; the runbook fails the global database over (${AURORA_GLOBAL.failover}) | viewing < 1 min (automatic); writes ${span(serving)} min (runbook) | ${rpo} |`,
    `| The region fails, warm-standby | As serving, with one task until the standby scales | ${span(warm)} min | as above |`,
    `| The region fails, pilot-light | The runbook first adds the secondary's instances (a headless cluster cannot be promoted) | ${span(pilot)} min | as above |`,
    `| A drill or a planned move | switchover-global-cluster instead of failover: ${AURORA_GLOBAL.switchover} | the switchover's brief unavailability | 0 |`,
  ].join("\n");
}
