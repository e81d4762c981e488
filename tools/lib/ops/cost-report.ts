/**
 * The report of `npm run cost`: first one table of what each stack the settings deploy costs a
 * month and their total (the answer most readers want), then the detail: each environment line
 * by line, its cost options and size presets, its standby per DR mode, and the account baseline.
 */
import { PRICE_SOURCE, PRICES } from "./prices";
import { fargateVcpus, groupTotal, SEED_OPTIONAL, SEED_ROWS, SEED_TOTAL, total } from "./cost";
import {
  asSeed,
  baselineEstimate,
  configOf,
  COST_OPTIONS,
  deploymentAccounts,
  deploymentEnvironments,
  deploysBaseline,
  drEstimates,
  environmentJson,
  estimate,
  type Estimate,
  loadUsage,
  presetUsers,
  sizedConfig,
  sizeEstimate,
  sizeStandbyEstimate,
  standbyEstimate,
} from "./estimate";
import { SIZE_PRESETS, type SizeName } from "../../../src/config/sizes";
import { CI_STACK, drStackName, STATE_STACK } from "../../../src/config/naming";
import type { Progress } from "../console/progress";
import { accountContents } from "../../../src/config/accounts";

/**
 * A report that takes longer than this (a cold synthesis cache: each of its few dozen settings
 * variants synthesized once) says on stderr which estimate it is working on.
 */
export const COST_QUIET_MS = 2_000;

const usd = (n: number) => `${n < 0 ? "-" : ""}$${Math.abs(n).toFixed(2)}`;

/** Two estimates whose tables would print the same lines. */
const sameLines = (a: Estimate, b: Estimate) => JSON.stringify(a.lines) === JSON.stringify(b.lines);

/** What an environment's detail compares its sizes with: its own estimate, and its standby's in its own mode. */
interface Priced {
  readonly environment: string;
  readonly base: Estimate;
  readonly standby?: Estimate;
}

function linesTable(e: Estimate): string[] {
  return [
    "| Seed row | Item | Basis | Monthly |",
    "|---|---|---|---:|",
    ...e.lines.map((l) => `| ${l.group === "extra" ? "(not in the seed's table)" : l.group} | ${l.item} | ${l.basis} | ${usd(l.monthly)} |`),
    `| | **Total** | | **${usd(e.total)}** |`,
  ];
}

/**
 * The seed's scaling path on `environment`: each size preset's total, with its standby in the DR
 * mode the size gives it, then each size line by line. Each size's values replace the
 * environment's own for the settings the size sets (estimate.ts, atSize). Sizes with Aurora are
 * priced settled (the RDS instance retired), and once more as during a move to Aurora (the
 * instance kept).
 */
function sizeSection({ environment, base, standby: ownStandby }: Priced, usage: ReturnType<typeof loadUsage>): string[] {
  const standby = ownStandby !== undefined;
  const rows: { env: Estimate; dr?: Estimate }[] = [];
  for (const size of Object.keys(SIZE_PRESETS) as SizeName[]) {
    const dr = standby ? sizeStandbyEstimate(environment, size, usage) : undefined;
    rows.push({ env: sizeEstimate(environment, size, usage), dr });
    const sized = sizedConfig(environment, size);
    if (sized.database.enabled && sized.database.engine === "aurora-postgresql") {
      rows.push({ env: sizeEstimate(environment, size, usage, true), dr: standby ? sizeStandbyEstimate(environment, size, usage, true) : undefined });
    }
  }
  const out = [
    '### Size presets (seed "Scalability"; traffic scaled to the users)',
    "",
    `Each size's settings (src/config/sizes.ts: task counts, database, cache, CloudFront, standby mode) replace ${environment}'s own settings of the same keys; its other settings stay.`,
    "",
    standby ? `| Size | ${environment} | ${drStackName(environment)} (mode) | Together |` : `| Size | ${environment} |`,
    standby ? "|---|---:|---:|---:|" : "|---|---:|",
    ...rows.map(({ env, dr }) =>
      dr
        ? `| ${env.name} | ${usd(env.total)} | ${usd(dr.total)} (${dr.name.replace(/^.*\((.*)\)$/, "$1")}) | ${usd(env.total + dr.total)} |`
        : `| ${env.name} | ${usd(env.total)} |`,
    ),
    "",
  ];
  // A size that changes nothing the environment sets (100-users on the presets) prints the same table as above: say so instead.
  for (const { env, dr } of rows) {
    out.push(`#### ${environment} at ${env.name}`, "", ...(sameLines(env, base) ? [`Same as ${environment} above.`] : linesTable(env)), "");
    if (dr) {
      const same = ownStandby && sameLines(dr, ownStandby);
      const table = same ? [`Same as ${drStackName(environment)} in ${ownStandby.name} mode, below.`] : linesTable(dr);
      out.push(`#### ${dr.name}${env.name.includes("while") ? ", while moving to Aurora" : ""}`, "", ...table, "");
    }
  }
  return out;
}

/**
 * `environment`'s cost profile against the seed's cost table: per seed row, what the seed says,
 * what the seed's configuration costs here, what the environment costs as configured, and the
 * saving; then what the seed's table lacks, together.
 */
function againstSeed(environment: string, base: Estimate, seed: Estimate, usage: ReturnType<typeof loadUsage>): string[] {
  const extraItems = [...new Set([...seed.lines, ...base.lines].filter((l) => l.group === "extra").map((l) => l.item))];
  const groups = [...Object.keys(SEED_ROWS), ...Object.keys(SEED_OPTIONAL)].filter(
    (group) => SEED_ROWS[group] !== undefined || groupTotal(seed.lines, group) + groupTotal(base.lines, group) > 0,
  );
  const row = (name: string, seedSays: string, before: number, after: number) =>
    `| ${name} | ${seedSays} | ${usd(before)} | ${usd(after)} | ${usd(before - after)} |`;
  return [
    `### ${environment}'s cost profile against the seed's table`,
    "",
    `The seed's configuration (two NAT gateways, interface endpoints, no Spot) priced here, and ${environment} as its settings configure it.`,
    "",
    `| Seed row | Seed says | Seed's configuration | ${environment} | Saving |`,
    "|---|---:|---:|---:|---:|",
    ...groups.map((group) =>
      row(group, SEED_ROWS[group] !== undefined ? usd(SEED_ROWS[group]) : "optional", groupTotal(seed.lines, group), groupTotal(base.lines, group)),
    ),
    ...extraItems.map((item) => row(`(not in the seed's table) ${item}`, "-", itemTotal(seed, item), itemTotal(base, item))),
    row("**Total**", `~${usd(SEED_TOTAL)}`, seed.total, base.total),
    "",
    ...endpointsBreakEven(seed, usage),
  ];
}

/** A line's amount in an estimate, 0 when it has none. */
const itemTotal = (e: Estimate, item: string) => total(e.lines.filter((l) => l.item === item));

/**
 * Whether the interface endpoints of the seed's configuration pay for themselves: their hours
 * against what the NAT would charge for the bytes they carry instead.
 */
function endpointsBreakEven(seed: Estimate, usage: ReturnType<typeof loadUsage>): string[] {
  const line = seed.lines.find((l) => l.item === "Interface VPC endpoints");
  if (!line) return [];
  const zones = Number(/^(\d+) endpoint-zone/.exec(line.basis)?.[1] ?? 0);
  const hours = zones * PRICES.interfaceEndpoint.hourPerZone * PRICES.hoursPerMonth;
  const savedPerGb = PRICES.nat.gbProcessed - PRICES.interfaceEndpoint.gbProcessed;
  return [
    `Interface endpoints with a NAT gateway: ${zones} endpoint-zones cost ${usd(hours)} a month before any byte; each GB they carry instead of the NAT saves $${savedPerGb.toFixed(3)}, so they pay for themselves above ${Math.ceil(hours / savedPerGb)} GB a month of ECR and log traffic (usage.json assumes ${usage.endpointProcessedGb} GB).`,
  ];
}

/** Sum of amounts in whole cents, so the table's total is the sum of its rows as printed. */
const sum = (amounts: readonly number[]) => amounts.reduce((cents, n) => cents + Math.round(n * 100), 0) / 100;

/** An account's baseline, priced: each account of the deployment (the state's too) pays for its own trail, GuardDuty, Config and Security Hub. */
interface PricedBaseline {
  /** What the baseline is, as the report says it: "account baseline (once per account)", or which account's. */
  readonly what: string;
  readonly estimate: Estimate;
}

/** Every account's baseline, GuardDuty's runtime monitoring priced on the vCPUs of the account's own environments. */
function baselineEstimates(usage: ReturnType<typeof loadUsage>): PricedBaseline[] {
  if (!deploysBaseline()) return [];
  const accounts = deploymentAccounts();
  return accounts.map((account) => ({
    what: accounts.length > 1 ? `account baseline of ${account.accountId} (${accountContents(account)})` : "account baseline (once per account)",
    estimate: baselineEstimate(
      usage,
      account.environments.reduce((n, c) => n + fargateVcpus(environmentJson(c.environment)), 0),
      account.baselineStack,
    ),
  }));
}

/** The first table: every stack the settings deploy and priced, as configured, and their total. */
function summaryTable(priced: readonly Priced[], baselines: readonly PricedBaseline[]): string[] {
  const rows: [string, string, number][] = [];
  for (const { environment, base, standby } of priced) {
    rows.push([environment, "environment", base.total]);
    if (standby) rows.push([drStackName(environment), `${environment}'s DR standby (${standby.name})`, standby.total]);
  }
  for (const { what, estimate } of baselines) rows.push([estimate.name, what, estimate.total]);
  return [
    "| Stack | What | Monthly |",
    "|---|---|---:|",
    ...rows.map(([stack, what, monthly]) => `| ${stack} | ${what} | ${usd(monthly)} |`),
    `| **Total** | | **${usd(sum(rows.map(([, , monthly]) => monthly)))}** |`,
  ];
}

/** The report in two parts: the summary (title, the totals table, the assumptions) and the detail. */
export interface CostReport {
  readonly summary: string;
  readonly detail: string;
}

/**
 * The report's parts: every environment the settings declare, their standbys, the baseline.
 * `progress` hears of each estimate as it starts (`dev: synthesizing and pricing each size preset...`).
 */
export function costReportParts(usage = loadUsage(), progress?: Progress): CostReport {
  /** `run`, an estimate of `stack`, said to `progress` as `what` it does. */
  const step = <T>(stack: string, what: string, run: () => T): T => {
    progress?.start(stack, `${stack}: ${what}...`);
    try {
      return run();
    } finally {
      progress?.done(stack);
    }
  };
  const environments = deploymentEnvironments();
  const priced: Priced[] = environments.map((environment) => ({
    environment,
    base: step(environment, "synthesizing and pricing it as configured", () => estimate(environment, environment, usage)),
    standby: configOf(environment).dr.enabled
      ? step(drStackName(environment), `synthesizing and pricing ${environment}'s standby`, () => standbyEstimate(environment, usage))
      : undefined,
  }));
  const baselines = step("baseline", "pricing the account baseline", () => baselineEstimates(usage));

  const summary: string[] = [
    "# Monthly cost estimate",
    "",
    `Each stack the settings deploy, as configured (a standby in its own dr.mode). The ${STATE_STACK} and ${CI_STACK} stacks are not priced.`,
    "",
    ...summaryTable(priced, baselines),
    "",
    `Prices: ${PRICE_SOURCE} (tools/lib/ops/prices.ts). Usage assumptions per 100 users: ${JSON.stringify(usage)} (tools/lib/ops/usage.json; COST_USAGE_FILE overrides).`,
    ...environments
      .filter((environment) => presetUsers(environment) !== undefined)
      .map(
        (environment) =>
          `${environment} is from a preset that serves ${presetUsers(environment)} users (PRESET_USERS, src/config/presets.ts): its traffic is scaled to them.`,
      ),
    "Computed from each stack's synthesized Terraform JSON.",
    "",
  ];
  const out: string[] = [];
  for (const item of priced) {
    const { environment, base } = item;
    const seed = step(environment, "synthesizing and pricing it as the seed configures it", () =>
      estimate(`${environment} as the seed configures it`, environment, usage, asSeed(environment)),
    );
    out.push(`## ${environment}`, "", ...linesTable(base), "");
    if (!sameLines(seed, base)) out.push(...againstSeed(environment, base, seed, usage), "");
    out.push(
      '### Cost options (seed "Cost Optimization")',
      "",
      `Each option alone over the seed's configuration (${usd(seed.total)}: two NAT gateways, interface endpoints, no Spot).`,
      "",
      "| Option | Seed says | Total | Saving |",
      "|---|---|---:|---:|",
    );
    const options = COST_OPTIONS.filter((o) => !o.unprotectedOnly || !configOf(environment).protectData);
    const variants = step(environment, "synthesizing and pricing the seed's cost options", () =>
      options.map((option) => estimate(option.name, environment, usage, asSeed(environment), { environments: { [environment]: option.settings } })),
    );
    options.forEach((option, i) => out.push(`| ${option.name} | ${option.seed} | ${usd(variants[i].total)} | ${usd(seed.total - variants[i].total)} |`));
    out.push("", ...step(environment, "synthesizing and pricing each size preset", () => sizeSection(item, usage)));
  }
  for (const { environment, base } of priced.filter((p) => p.standby)) {
    const modes = step(drStackName(environment), "synthesizing and pricing each dr.mode", () => drEstimates(environment, usage));
    out.push(
      `## ${drStackName(environment)} (${environment}'s standby in the DR region, per dr.mode)`,
      "",
      `The standby alone, on top of ${environment}'s ${usd(base.total)}. Its data is ${environment}'s bucket replicas, counted above; pilot-light and warm-standby carry no traffic, active (after a failover) carries all of it.`,
      "",
      "| Mode | Monthly | Over pilot-light |",
      "|---|---:|---:|",
      ...modes.map((m) => `| ${m.name} | ${usd(m.total)} | ${usd(m.total - modes[0].total)} |`),
      "",
    );
    for (const m of modes) out.push(`### ${m.name}`, "", ...linesTable(m), "");
  }
  for (const { what, estimate: baseline } of baselines)
    out.push(baselines.length > 1 ? `## ${baseline.name} (${what})` : "## Account baseline (once per account)", "", ...linesTable(baseline), "");
  return { summary: summary.join("\n"), detail: out.join("\n") };
}

/** The whole report, as markdown: the summary, then the detail. */
export function costReport(usage = loadUsage()): string {
  const { summary, detail } = costReportParts(usage);
  return `${summary}\n${detail}`;
}
