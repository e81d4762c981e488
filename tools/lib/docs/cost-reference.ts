/**
 * The documents' figures about cost, generated from the same estimate as `npm run cost` (npm run
 * docs writes them; __tests__/generated-docs.spec.ts fails when they are stale): what each preset
 * creates and costs, the settings guide's staging example, the standby per DR mode, and dev
 * against the seed's cost table.
 */
import type { DeploymentSettings, EnvironmentConfig } from "../../../src/validation";
import type { EnvironmentSettings } from "../../../src/config/settings";
import { environmentFile } from "../../../src/validation/deployment";
import { PRESET_USERS, PRESETS } from "../../../src/config/presets";
import { BASELINE_STACK, CI_STACK, drStackName } from "../../../src/config/naming";
import { partitionOf } from "../../../src/aws/regions";
import { GLOBAL_REGION } from "../../../src/constructs/providers";
import { groupTotal, SEED_OPTIONAL, SEED_ROWS, SEED_TOTAL } from "../ops/cost";
import { asSeed, configOf, deploymentEnvironments, type DR_MODES, drEstimates, estimate, type Estimate, loadUsage } from "../ops/estimate";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The same staging as a demo without real data: the explicit acceptances instead of certificates. */
export const STAGING_DEMO_FILE: EnvironmentSettings = {
  preset: "prod",
  service: { desiredCount: 1 },
  acceptUnencryptedHttp: true,
  edge: { cloudfront: { acceptDefaultCertificate: true } },
};

/**
 * A staging environment from the prod preset, as environments/staging.json holds it, with what that
 * preset needs to synthesize: TLS on every hop that carries student data (the ALB's certificate,
 * CloudFront's with its domain names and the name CloudFront reaches the ALB by, the standby
 * ALB's). The certificate IDs are examples; their account and regions are where staging deploys
 * by the committed settings (the demo's place: it differs only by the certificates), because
 * synthesis refuses a certificate of another account or region. So the documents show a team its
 * own account once `npm run docs` has run, and the example synthesizes as written.
 */
export function stagingFile(): EnvironmentSettings {
  const { accountId, region, stateRegion } = configOf("staging", { environments: { staging: STAGING_DEMO_FILE } });
  const certificate = (where: string, id: string) => `arn:${partitionOf(where) ?? "aws"}:acm:${where}:${accountId}:certificate/${id}`;
  return {
    preset: "prod",
    service: { desiredCount: 1 },
    loadBalancer: { httpsEnabled: true, certificateArn: certificate(region, "11111111-2222-3333-4444-555555555555") },
    edge: {
      cloudfront: {
        certificateArn: certificate(GLOBAL_REGION, "66666666-7777-8888-9999-000000000000"),
        domainNames: ["staging.dashboard.example.edu"],
        albOriginDomain: "origin.staging.dashboard.example.edu",
      },
    },
    dr: { certificateArn: certificate(stateRegion, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee") },
  };
}

/** A block of docs/settings.md that shows `settings` saved as `file`, which docs.spec.ts synthesizes so. */
const fileBlock = (file: string, settings: object) => ["```json " + file, JSON.stringify(settings, null, 2), "```"].join("\n");

/** A developer's sandbox, as docs/settings.md declares one: what the presets table prices the sandbox preset on. */
export const SANDBOX_EXAMPLE: DeploymentSettings = { environments: { sbxalice: { preset: "sandbox" } } };

/** What an environment built from `config` holds, in a few words. */
function holds(config: EnvironmentConfig): string {
  const { database, edge, storage, dr, network, service } = config;
  const spot = service.fargateSpot ? Math.max(0, service.desiredCount - service.fargateOnDemandBase) : 0;
  return [
    `${service.desiredCount} ${service.desiredCount === 1 ? "task" : "tasks"}${service.cpuArchitecture === "ARM64" ? " (Graviton, ARM64)" : ""}${spot > 0 ? `, ${spot} on Fargate Spot` : ""}`,
    service.workingHours.enabled
      ? `running ${service.workingHours.start}-${service.workingHours.stop} ${service.workingHours.days} (${service.workingHours.timeZone}), none outside`
      : "",
    service.assignPublicIp
      ? "tasks on public addresses, no NAT gateway"
      : network.natGateways === "one-per-az"
        ? "a NAT gateway per zone"
        : network.natGateways === "single"
          ? "one NAT gateway"
          : "no NAT gateway (interface endpoints)",
    database.enabled ? `RDS PostgreSQL ${database.instanceClass}${database.multiAz ? " Multi-AZ" : ""}` : "no database",
    edge.cloudfront.enabled ? `CloudFront${edge.waf.enabled ? " with WAF" : ""}` : "no CloudFront (the ALB faces the internet)",
    config.protectData ? "protected (deletion protection, final snapshots, no force_destroy)" : "disposable (force_destroy)",
    `logs kept ${config.service.logRetentionDays} days`,
    storage.replicateModels || storage.replicateData ? `buckets replicated to ${config.stateRegion}` : "",
    dr.enabled ? `\`<env>-dr\`: its ${dr.mode} in ${config.stateRegion}` : "no standby",
  ]
    .filter(Boolean)
    .join("; ");
}

/** docs/settings.md: each preset's stacks, contents and monthly cost (the committed environment of that name). */
export function presetsReference(): string {
  const usage = loadUsage();
  const committed = deploymentEnvironments();
  const rows = Object.keys(PRESETS).map((preset) => {
    // A preset without a committed environment of its name is priced on the example that declares one.
    const [name, declared] = committed.includes(preset)
      ? [preset, {}]
      : (Object.entries(SANDBOX_EXAMPLE.environments ?? {})
          .filter(([, own]) => own.preset === preset)
          .map(([env]) => [env, SANDBOX_EXAMPLE] as const)[0] ?? [undefined, {}]);
    if (name === undefined) throw new Error(`preset ${preset} has no committed environment and no example declaring one to price it on`);
    const config = configOf(name, declared);
    const own = estimate(name, name, usage, declared).total;
    const standby = config.dr.enabled ? drEstimates(name, usage, declared).find((m) => m.name === config.dr.mode)!.total : undefined;
    const stacks = config.dr.enabled ? "`<env>`, `<env>-dr`" : "`<env>`";
    const users = PRESET_USERS[preset] === undefined ? "" : ` (traffic of ${PRESET_USERS[preset]} users)`;
    const monthly = standby === undefined ? `${name}: ${usd(own)}${users}` : `${name}: ${usd(own)} + ${drStackName(name)}: ${usd(standby)}`;
    return `| \`${preset}\` | ${stacks} | ${holds(config)} | ${monthly} |`;
  });
  return [
    "| Preset | Stacks for an environment `<env>` | What it holds | Monthly (`npm run cost`: the committed environment of that name, or the example below) |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** docs/settings.md: the staging example, runnable as written (docs.spec.ts, cost.spec.ts), with what it creates and costs. */
export function stagingExampleReference(): string {
  const usage = loadUsage();
  const staging = stagingFile();
  // What the estimate adds to the committed settings.
  const example: DeploymentSettings = { environments: { staging } };
  const config = configOf("staging", example);
  const own = estimate("staging", "staging", usage, example).total;
  const standby = drEstimates("staging", usage, example).find((m) => m.name === config.dr.mode)!.total;
  const file = environmentFile("staging");
  return [
    fileBlock(file, staging),
    "",
    `Saved as \`${file}\` and committed, \`npm run synth\` writes two more stacks, whoever runs it: \`staging\` and \`${drStackName("staging")}\`, its ${config.dr.mode} in ${config.stateRegion} (the prod preset turns \`dr\` on); \`${CI_STACK}\` gains staging's pipeline roles and \`${BASELINE_STACK}\` the replication of its image to ${config.stateRegion}. \`npm run cost\` prices them at ${usd(own)} and ${usd(standby)} a month. Deploy \`${BASELINE_STACK}\` and \`${CI_STACK}\` (they now serve staging too), then \`staging\`, then \`${drStackName("staging")}\` (docs/operations.md, "Deploying for real").`,
    "",
    "For a demo without real data, the explicit acceptances stand in for the certificates (synthesis then prints a warning per unencrypted hop; remove them, with certificates set, before real student data):",
    "",
    fileBlock(file, STAGING_DEMO_FILE),
  ].join("\n");
}

/** What the standby runs in each DR mode. */
const MODE_HOLDS: Record<(typeof DR_MODES)[number], string> = {
  "pilot-light": "replica, ALB, service at 0 tasks, no NAT, no interface endpoint",
  "warm-standby": "1 task serving behind the ALB, NAT and endpoints, alarms and dashboard",
  active: "after a failover: the replica promoted (backups on), the primary's task count and autoscaling",
};

/** docs/disaster-recovery.md: prod's standby per DR mode, and prod itself. */
export function drModesReference(environment = "prod"): string {
  const usage = loadUsage();
  const config = configOf(environment);
  const modes = drEstimates(environment, usage);
  return [
    "| Mode | The standby | Monthly (`npm run cost`) |",
    "|---|---|---:|",
    ...modes.map(
      (m) =>
        `| \`${m.name}\`${m.name === config.dr.mode ? ` (${environment}'s preset)` : ""} | ${MODE_HOLDS[m.name as keyof typeof MODE_HOLDS]} | ${usd(m.total)} |`,
    ),
    "",
    `${environment} itself is ${usd(estimate(environment, environment, usage).total)} a month; the standby's data is ${environment}'s bucket replicas, counted in ${environment}'s estimate.`,
  ].join("\n");
}

/**
 * docs/operations.md: dev line by line against the seed's cost table: as the seed configures it
 * (two NAT gateways, interface endpoints, no Spot: what the seed's table prices) and as the dev
 * preset's cost profile runs it.
 */
export function devAgainstSeedReference(): string {
  const usage = loadUsage();
  const seed = estimate("dev as the seed", "dev", usage, asSeed("dev"));
  const dev = estimate("dev", "dev", usage);
  const seedRows = (e: Estimate) => Object.keys(SEED_ROWS).reduce((n, group) => n + groupTotal(e.lines, group), 0);
  const optional = Object.entries(SEED_OPTIONAL).map(([group, amount]) => {
    const withPart =
      group === "RDS"
        ? estimate("dev", "dev", usage, asSeed("dev"), { environments: { dev: { database: { enabled: true } } } })
        : estimate("prod", "prod", usage);
    // dev's own column when its preset has the part (CloudFront, for HTTPS).
    const devPart = groupTotal(dev.lines, group);
    return `| ${group} (optional) | +$${amount} | +${usd(groupTotal(withPart.lines, group))} | ${devPart > 0 ? `+${usd(devPart)}` : ""} |`;
  });
  const item = (e: Estimate, name: string) => e.lines.find((l) => l.item === name);
  const extras = [...new Set([...seed.lines, ...dev.lines].filter((l) => l.group === "extra").map((l) => l.item))];
  return [
    "| Seed row | Seed | dev as the seed configures it | dev (`npm run cost`) |",
    "|---|---:|---:|---:|",
    ...Object.entries(SEED_ROWS).map(
      ([group, amount]) => `| ${group} | $${amount} | ${usd(groupTotal(seed.lines, group))} | ${usd(groupTotal(dev.lines, group))} |`,
    ),
    `| **The seed's rows** | **~$${SEED_TOTAL}** | **${usd(seedRows(seed))}** | **${usd(seedRows(dev))}** |`,
    ...optional,
    ...extras.map(
      (name) =>
        `| not in the seed's table: ${name} (${(item(seed, name) ?? item(dev, name))!.basis}) | | ${usd(item(seed, name)?.monthly ?? 0)} | ${usd(item(dev, name)?.monthly ?? 0)} |`,
    ),
    `| **dev as a whole** | | **${usd(seed.total)}** | **${usd(dev.total)}** |`,
    "",
    `The dev preset's cost profile saves ${usd(seed.total - dev.total)} a month: one NAT gateway, one of two tasks on Fargate Spot, no interface endpoints (the tasks reach ECR and CloudWatch Logs through the NAT: at usage.json's ${usage.endpointProcessedGb} GB the endpoints' hours cost far more than the NAT charges for those bytes), Graviton (ARM64) tasks, and tasks only in working hours (docs/operations.md, "Working hours (dev and sandboxes)"); it spends ${usd(groupTotal(dev.lines, "CloudFront") + (item(dev, "CloudFront access logs to S3 (vended logs)")?.monthly ?? 0))} of it on CloudFront, the seed's optional line, so that viewers reach dev over HTTPS only. \`npm run cost\` lists the seed's cost options with their saving.`,
  ].join("\n");
}
