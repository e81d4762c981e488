/**
 * Builds stacks in-process from the deployment settings (cdktf.json, DEPLOYMENT_SETTINGS) plus
 * overrides, and estimates their monthly cost from the Terraform JSON they synthesize.
 */
import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cdktfContext, loadSettings, resolveDeployment } from "../../../src/config/deployment";
import { type DeploymentSettings, resolveEnvironment } from "../../../src/config";
import { SIZE_PRESETS, SIZE_USERS, type SizeName } from "../../../src/config/sizes";
import { standardTags } from "../../../src/constructs/providers";
import { BaselineStack } from "../../../src/stacks/baseline-stack";
import { DisasterRecoveryStack } from "../../../src/stacks/dr-stack";
import { EnvironmentStack } from "../../../src/stacks/environment-stack";
import { drStackName } from "../../../src/naming";
import { type CostLine, estimateBaseline, estimateEnvironment, scaleUsage, total, type Usage } from "./cost";

/** The usage assumptions: tools/lib/ops/usage.json, or the file COST_USAGE_FILE names. */
export function loadUsage(env: NodeJS.ProcessEnv = process.env): Usage {
  const file = env.COST_USAGE_FILE ?? path.join(__dirname, "usage.json");
  const { "//": _comment, ...usage } = JSON.parse(fs.readFileSync(file, "utf8"));
  return usage as Usage;
}

function settings(): DeploymentSettings[] {
  return loadSettings({ ...process.env, CDKTF_CONTEXT_JSON: JSON.stringify(cdktfContext()) });
}

/**
 * The environments the deployment declares (cdktf.json, then the DEPLOYMENT_SETTINGS overlay), in
 * the order the settings name them; validated, so bad settings stop here with every problem.
 */
export function deploymentEnvironments(): string[] {
  return resolveDeployment(settings()).environments.map((config) => config.environment);
}

// Stacks here are only turned into JSON, never written; one scratch outdir serves them all.
let scratchDir: string | undefined;
const scratch = () => new App({ outdir: (scratchDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "estimate-"))) });

/** The validated configuration of `environment` with `overrides` (later layers win) over the deployment's settings. */
export function configOf(environment: string, ...overrides: DeploymentSettings[]) {
  return resolveEnvironment(environment, ...settings(), ...overrides);
}

/** The Terraform JSON of one environment, with `overrides` over the deployment's settings. */
export function environmentJson(environment: string, ...overrides: DeploymentSettings[]): Record<string, any> {
  return new EnvironmentStack(scratch(), environment, { config: configOf(environment, ...overrides) }).toTerraform();
}

/** The Terraform JSON of an environment's DR standby (`<env>-dr`), with `overrides`. */
export function drJson(environment: string, ...overrides: DeploymentSettings[]): Record<string, any> {
  return new DisasterRecoveryStack(scratch(), drStackName(environment), { config: configOf(environment, ...overrides) }).toTerraform();
}

/** The DR modes, cheapest first. */
export const DR_MODES = ["pilot-light", "warm-standby", "active"] as const;

/** The standby of `environment` in each DR mode, with `overrides` over the deployment's settings. */
export function drEstimates(environment: string, usage: Usage, ...overrides: DeploymentSettings[]): Estimate[] {
  const replicaStorageGb = configOf(environment, ...overrides).database.allocatedStorageGb;
  return DR_MODES.map((mode) => {
    const lines = estimateEnvironment(drJson(environment, ...overrides, { environments: { [environment]: { dr: { mode } } } }), usage, {
      standby: mode === "active" ? "serving" : "idle",
      replicaStorageGb,
    });
    return { name: mode, lines, total: total(lines) };
  });
}

/** The Terraform JSON of the account baseline. */
export function baselineJson(): Record<string, any> {
  const { environments, baseline } = resolveDeployment(settings());
  const [shared] = environments;
  return new BaselineStack(scratch(), "baseline", {
    config: baseline,
    project: shared.project,
    accountId: shared.accountId,
    region: shared.region,
    stateRegion: shared.stateRegion,
    tags: standardTags({ project: shared.project, environment: "account", dataClassification: shared.dataClassification }),
  }).toTerraform();
}

/** The cost options of the seed's "Cost Optimization", as settings. */
export const COST_OPTIONS: readonly { name: string; seed: string; settings: DeploymentSettings }[] = [
  { name: "Single NAT gateway", seed: "-$32/month", settings: { network: { natGateways: "single" } } },
  { name: "1 task instead of 2", seed: "-$15/month", settings: { service: { desiredCount: 1 } } },
  { name: "Fargate Spot", seed: "-30%", settings: { service: { fargateSpot: true } } },
  { name: "No NAT gateways (endpoints only)", seed: "-$65/month", settings: { network: { natGateways: "none" } } },
];

export interface Estimate {
  readonly name: string;
  readonly lines: CostLine[];
  readonly total: number;
}

export function estimate(name: string, environment: string, usage: Usage, ...overrides: DeploymentSettings[]): Estimate {
  const lines = estimateEnvironment(environmentJson(environment, ...overrides), usage);
  return { name, lines, total: total(lines) };
}

/** A standby origin for sizes whose standby serves: the function that splits viewers needs one. */
const PLACEHOLDER_ORIGIN = { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" };

/**
 * The settings that price `size` on `environment` as it runs once settled: CloudFront on the
 * default certificate (certificates cost nothing), a serving standby's origin set, and with
 * Aurora the RDS instance retired (`migrating` keeps it, as during a move to Aurora).
 */
export function sizeSettings(environment: string, size: SizeName, migrating = false): DeploymentSettings {
  const sized = configOf(environment, { environments: { [environment]: { size, edge: { cloudfront: { acceptDefaultCertificate: true } } } } });
  const aurora = sized.database.enabled && sized.database.engine === "aurora-postgresql";
  return {
    environments: {
      [environment]: {
        size,
        edge: { cloudfront: { acceptDefaultCertificate: true } },
        ...(aurora && !migrating ? { database: { migration: "instance-retired" } } : {}),
        ...(sized.dr.enabled && sized.dr.mode === "serving" ? { dr: { failoverOrigin: PLACEHOLDER_ORIGIN } } : {}),
      },
    },
  };
}

/** The part of the regional traffic the standby of `environment` serves with `settings` (0 unless serving). */
function standbyShare(environment: string, settings: DeploymentSettings): number {
  const { dr } = configOf(environment, settings);
  return dr.enabled && dr.mode === "serving" && dr.failoverOrigin ? dr.standbyTrafficPercent / 100 : 0;
}

/** `environment` at `size`, line by line, with traffic scaled to the size's users. */
export function sizeEstimate(environment: string, size: SizeName, usage: Usage, migrating = false): Estimate {
  const settings = sizeSettings(environment, size, migrating);
  const lines = estimateEnvironment(environmentJson(environment, settings), scaleUsage(usage, SIZE_USERS[size]), { trafficShare: 1 - standbyShare(environment, settings) });
  return { name: migrating ? `${size} while moving to Aurora (RDS instance kept)` : size, lines, total: total(lines) };
}

/** Each size preset on `environment`, with traffic scaled to its users. */
export function sizeEstimates(environment: string, usage: Usage): Estimate[] {
  return (Object.keys(SIZE_PRESETS) as SizeName[]).map((size) => sizeEstimate(environment, size, usage));
}

/** The standby of `environment` at `size`, in the DR mode the size gives it, line by line. */
export function sizeStandbyEstimate(environment: string, size: SizeName, usage: Usage, migrating = false): Estimate {
  const settings = sizeSettings(environment, size, migrating);
  const config = configOf(environment, settings);
  const share = standbyShare(environment, settings);
  const lines = estimateEnvironment(drJson(environment, settings), scaleUsage(usage, SIZE_USERS[size]), {
    standby: config.dr.mode === "active" || share > 0 ? "serving" : "idle",
    trafficShare: share > 0 ? share : undefined,
    replicaStorageGb: config.database.allocatedStorageGb,
  });
  return { name: `${drStackName(environment)} at ${size} (${config.dr.mode})`, lines, total: total(lines) };
}

/** The standby of `environment` at each size preset, when it has one. */
export function sizeStandbyEstimates(environment: string, usage: Usage): Estimate[] {
  return configOf(environment).dr.enabled ? (Object.keys(SIZE_PRESETS) as SizeName[]).map((size) => sizeStandbyEstimate(environment, size, usage)) : [];
}

/** The baseline's lines; GuardDuty runtime monitoring scales with the environments' vCPUs. */
export function baselineEstimate(usage: Usage, fargateVcpus: number): Estimate {
  const lines = estimateBaseline(baselineJson(), usage, fargateVcpus);
  return { name: "baseline", lines, total: total(lines) };
}
