/**
 * The report of `npm run cost`: the monthly cost of each environment, line by line, its cost
 * options and size presets, and the account baseline.
 */
import { PRICE_SOURCE } from "./prices";
import { fargateVcpus } from "./cost";
import {
  baselineEstimate,
  configOf,
  COST_OPTIONS,
  deploymentEnvironments,
  deploysBaseline,
  drEstimates,
  environmentJson,
  estimate,
  type Estimate,
  loadUsage,
  sizedConfig,
  sizeEstimate,
  sizeStandbyEstimate,
} from "./estimate";
import { SIZE_PRESETS, type SizeName } from "../../../src/config/sizes";
import { drStackName } from "../../../src/naming";

const usd = (n: number) => `$${n.toFixed(2)}`;

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
function sizeSection(environment: string, usage: ReturnType<typeof loadUsage>): string[] {
  const standby = configOf(environment).dr.enabled;
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
  for (const { env, dr } of rows) {
    out.push(`#### ${environment} at ${env.name}`, "", ...linesTable(env), "");
    if (dr) out.push(`#### ${dr.name}${env.name.includes("while") ? ", while moving to Aurora" : ""}`, "", ...linesTable(dr), "");
  }
  return out;
}

/** The whole report, as markdown: every environment the settings declare, their standbys, the baseline. */
export function costReport(usage = loadUsage()): string {
  const out: string[] = [
    "# Monthly cost estimate",
    "",
    `Prices: ${PRICE_SOURCE} (tools/lib/ops/prices.ts). Usage assumptions per 100 users: ${JSON.stringify(usage)} (tools/lib/ops/usage.json; COST_USAGE_FILE overrides).`,
    "Computed from each stack's synthesized Terraform JSON.",
    "",
  ];
  const environments = deploymentEnvironments();
  const totals = new Map<string, number>();
  for (const environment of environments) {
    const base = estimate(environment, environment, usage);
    totals.set(environment, base.total);
    out.push(`## ${environment}`, "", ...linesTable(base), "");
    out.push('### Cost options (seed "Cost Optimization")', "", "| Option | Seed says | Total | Saving |", "|---|---|---:|---:|");
    for (const option of COST_OPTIONS) {
      const variant = estimate(option.name, environment, usage, { environments: { [environment]: option.settings } });
      out.push(`| ${option.name} | ${option.seed} | ${usd(variant.total)} | ${usd(base.total - variant.total)} |`);
    }
    out.push("", ...sizeSection(environment, usage));
  }
  for (const environment of environments.filter((e) => configOf(e).dr.enabled)) {
    const modes = drEstimates(environment, usage);
    out.push(
      `## ${drStackName(environment)} (${environment}'s standby in the DR region, per dr.mode)`,
      "",
      `The standby alone, on top of ${environment}'s ${usd(totals.get(environment)!)}. Its data is ${environment}'s bucket replicas, counted above; pilot-light and warm-standby carry no traffic, active (after a failover) carries all of it.`,
      "",
      "| Mode | Monthly | Over pilot-light |",
      "|---|---:|---:|",
      ...modes.map((m) => `| ${m.name} | ${usd(m.total)} | ${usd(m.total - modes[0].total)} |`),
      "",
    );
    for (const m of modes) out.push(`### ${m.name}`, "", ...linesTable(m), "");
  }
  if (deploysBaseline()) {
    const vcpus = environments.reduce((n, environment) => n + fargateVcpus(environmentJson(environment)), 0);
    out.push("## Account baseline (once per account)", "", ...linesTable(baselineEstimate(usage, vcpus)), "");
  }
  return out.join("\n");
}
