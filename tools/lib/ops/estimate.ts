/**
 * Synthesizes the deployment's stacks as main.ts does (synthesize) from the deployment settings
 * (cdktf.json, environments/, DEPLOYMENT_SETTINGS) plus overrides, and estimates their monthly cost from the
 * Terraform JSON they synthesize.
 */
import * as fs from "fs";
import * as path from "path";
import type { DeploymentAccount } from "../../../src/config/accounts";
import { BASELINE_STACK } from "../../../src/stacks/app";
import { resolveDeployment } from "../../../src/validation/deployment";
import { type DeploymentSettings, mergeSettings, presetOf, resolveEnvironment } from "../../../src/validation";
import { PRESET_USERS } from "../../../src/config/presets";
import type { EnvironmentSettings } from "../../../src/config/settings";
import { SIZE_PRESETS, SIZE_USERS, type SizeName } from "../../../src/config/sizes";
import { drStackName } from "../../../src/config/naming";
import { cachedStacks } from "../../../src/synth/cache";
import { projectSettings } from "../../../src/synth/synthesize";
import { type CostLine, estimateBaseline, estimateEnvironment, scaleUsage, total, type Usage } from "./cost";

/** The usage assumptions: tools/lib/ops/usage.json, or the file COST_USAGE_FILE names. */
export function loadUsage(env: NodeJS.ProcessEnv = process.env): Usage {
  const file = env.COST_USAGE_FILE ?? path.join(__dirname, "usage.json");
  const { "//": _comment, ...usage } = JSON.parse(fs.readFileSync(file, "utf8"));
  return usage as Usage;
}

const settings = () => projectSettings();

/**
 * The environments the deployment declares (cdktf.json and environments/, then the DEPLOYMENT_SETTINGS overlay), in
 * the order the settings name them; validated, so bad settings stop here with every problem.
 */
export function deploymentEnvironments(): string[] {
  return resolveDeployment(settings()).environments.map((config) => config.environment);
}

/**
 * One stack's Terraform JSON with `overrides`, from a synthesis of `together` (the stacks read
 * with it); throws when the settings produce no such stack.
 */
function stackJson(name: string, overrides: readonly DeploymentSettings[], together: readonly string[] = [name]): Record<string, any> {
  // Shared with every process through the synthesis cache: the estimates of an environment and
  // its standby, or of one size, read one synthesis.
  const text = cachedStacks([...settings(), ...overrides], together).get(name);
  if (text === undefined) throw new Error(`the deployment settings produce no stack "${name}" to estimate`);
  return JSON.parse(text);
}

/** The validated configuration of `environment` with `overrides` (later layers win) over the deployment's settings. */
export function configOf(environment: string, ...overrides: DeploymentSettings[]) {
  return resolveEnvironment(environment, ...settings(), ...overrides);
}

/** The Terraform JSON of one environment, with `overrides` over the deployment's settings. */
export function environmentJson(environment: string, ...overrides: DeploymentSettings[]): Record<string, any> {
  return stackJson(environment, overrides, withStandby(environment));
}

/** An environment and its standby are estimated together: one synthesis writes both. */
const withStandby = (environment: string) => [environment, drStackName(environment)];

/** The Terraform JSON of an environment's DR standby (`<env>-dr`), with `overrides`. */
export function drJson(environment: string, ...overrides: DeploymentSettings[]): Record<string, any> {
  return stackJson(drStackName(environment), overrides, withStandby(environment));
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

/** Whether the deployment has the account baseline stack (baseline.enabled). */
export function deploysBaseline(): boolean {
  return resolveDeployment(settings()).baseline.enabled;
}

/** The accounts of the deployment (each environment's and the state's), each with its baseline stack's name (validated settings). */
export function deploymentAccounts(): readonly DeploymentAccount[] {
  return resolveDeployment(settings()).accounts;
}

/** The Terraform JSON of an account baseline: `baseline`, or another account's `baseline-<account id>`. */
export function baselineJson(stack = BASELINE_STACK): Record<string, any> {
  return stackJson(stack, []);
}

/**
 * The seed's own configuration of an environment, before the dev preset's cost profile: two NAT
 * gateways, interface endpoints, every task on regular x86 Fargate around the clock. What the seed's cost table
 * prices, and what the cost options and the profile's savings are measured from.
 */
export const SEED_CONFIGURATION: EnvironmentSettings = {
  network: { natGateways: "one-per-az", interfaceEndpoints: true },
  service: { fargateSpot: false, assignPublicIp: false, cpuArchitecture: "X86_64", workingHours: { enabled: false } },
  // The seed's table prices CloudFront as optional: its dev serves from the ALB, in plain HTTP,
  // which this comparison accepts and no committed environment does.
  edge: { cloudfront: { enabled: false } },
  storage: { staticAssets: false },
  acceptUnencryptedHttp: true,
};

/** `environment` with the seed's configuration (SEED_CONFIGURATION) over its own settings. */
export const asSeed = (environment: string): DeploymentSettings => ({ environments: { [environment]: SEED_CONFIGURATION } });

/**
 * The cost options of the seed's "Cost Optimization", and the project's own, as settings, each
 * over the seed's configuration; `unprotectedOnly`: an option the settings refuse where
 * protectData is on (an environment that serves students around the clock).
 */
export const COST_OPTIONS: readonly { name: string; seed: string; settings: DeploymentSettings; unprotectedOnly?: boolean }[] = [
  { name: "Single NAT gateway", seed: "-$32/month", settings: { network: { natGateways: "single" } } },
  { name: "1 task instead of 2", seed: "-$15/month", settings: { service: { desiredCount: 1 } } },
  { name: "Fargate Spot", seed: "-30%", settings: { service: { fargateSpot: true } } },
  { name: "No NAT gateways (endpoints only)", seed: "-$65/month", settings: { network: { natGateways: "none" } } },
  {
    name: "Working hours (08:00-20:00, MON-FRI)",
    seed: "(not in the seed)",
    settings: { service: { workingHours: { enabled: true } } },
    unprotectedOnly: true,
  },
  { name: "Graviton (ARM64) tasks", seed: "(not in the seed)", settings: { service: { cpuArchitecture: "ARM64" } } },
];

export interface Estimate {
  readonly name: string;
  readonly lines: CostLine[];
  readonly total: number;
}

/** The users `environment` serves where its preset says so (PRESET_USERS), else undefined: usage.json's 100. */
export function presetUsers(environment: string, ...overrides: DeploymentSettings[]): number | undefined {
  return PRESET_USERS[presetOf(environment, ...settings(), ...overrides) ?? ""];
}

export function estimate(name: string, environment: string, usage: Usage, ...overrides: DeploymentSettings[]): Estimate {
  const users = presetUsers(environment, ...overrides);
  const lines = estimateEnvironment(environmentJson(environment, ...overrides), users === undefined ? usage : scaleUsage(usage, users));
  return { name, lines, total: total(lines) };
}

/** A standby origin for sizes whose standby serves: the function that splits viewers needs one. */
const PLACEHOLDER_ORIGIN = { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" };

/**
 * `environment` at `size`, CloudFront on the default certificate (certificates cost nothing).
 * The size preset's values replace the environment's own settings of the same keys (task
 * counts, database class, ...): the table prices the seed's sizes, and an environment that sizes
 * itself (the settings guide's staging runs 1 task) would otherwise be refused at every size
 * whose task range excludes its own count. Its other settings (certificates, protocols) stay.
 */
function atSize(environment: string, size: SizeName): DeploymentSettings {
  return mergeSettings({ environments: { [environment]: { size, ...SIZE_PRESETS[size] } } }, cloudfrontWithoutCertificate(environment));
}

const cloudfrontWithoutCertificate = (environment: string): DeploymentSettings => ({
  environments: { [environment]: { edge: { cloudfront: { acceptDefaultCertificate: true } } } },
});

/** The validated configuration of `environment` at `size` (atSize), as the size section of the report prices it. */
export function sizedConfig(environment: string, size: SizeName) {
  return configOf(environment, atSize(environment, size));
}

/**
 * The settings that price `size` on `environment` as it runs once settled (atSize): a serving
 * standby's origin set, and with Aurora the RDS instance retired (`migrating` keeps it, as during
 * a move to Aurora).
 */
export function sizeSettings(environment: string, size: SizeName, migrating = false): DeploymentSettings {
  const sized = sizedConfig(environment, size);
  const aurora = sized.database.enabled && sized.database.engine === "aurora-postgresql";
  return mergeSettings(atSize(environment, size), {
    environments: {
      [environment]: {
        ...(aurora && !migrating ? { database: { migration: "instance-retired" } } : {}),
        ...(sized.dr.enabled && sized.dr.mode === "serving" ? { dr: { failoverOrigin: PLACEHOLDER_ORIGIN } } : {}),
      },
    },
  });
}

/** The part of the regional traffic the standby of `environment` serves with `settings` (0 unless serving). */
function standbyShare(environment: string, settings: DeploymentSettings): number {
  const { dr } = configOf(environment, settings);
  return dr.enabled && dr.mode === "serving" && dr.failoverOrigin ? dr.standbyTrafficPercent / 100 : 0;
}

/** `environment` at `size`, line by line, with traffic scaled to the size's users. */
export function sizeEstimate(environment: string, size: SizeName, usage: Usage, migrating = false): Estimate {
  const settings = sizeSettings(environment, size, migrating);
  const lines = estimateEnvironment(environmentJson(environment, settings), scaleUsage(usage, SIZE_USERS[size]), {
    trafficShare: 1 - standbyShare(environment, settings),
  });
  return { name: migrating ? `${size} while moving to Aurora (RDS instance kept)` : size, lines, total: total(lines) };
}

/** Each size preset on `environment`, with traffic scaled to its users. */
export function sizeEstimates(environment: string, usage: Usage): Estimate[] {
  return (Object.keys(SIZE_PRESETS) as SizeName[]).map((size) => sizeEstimate(environment, size, usage));
}

/** The lines of the standby of `environment` with `settings`, in the DR mode they give it; a serving standby carries its share of the traffic. */
function standbyLines(environment: string, settings: DeploymentSettings, usage: Usage): CostLine[] {
  const config = configOf(environment, settings);
  const share = standbyShare(environment, settings);
  return estimateEnvironment(drJson(environment, settings), usage, {
    standby: config.dr.mode === "active" || share > 0 ? "serving" : "idle",
    trafficShare: share > 0 ? share : undefined,
    replicaStorageGb: config.database.allocatedStorageGb,
  });
}

/** The standby of `environment` as the settings deploy it (its dr.mode), line by line; named for its mode. */
export function standbyEstimate(environment: string, usage: Usage): Estimate {
  const lines = standbyLines(environment, {}, usage);
  return { name: configOf(environment).dr.mode, lines, total: total(lines) };
}

/** The standby of `environment` at `size`, in the DR mode the size gives it, line by line. */
export function sizeStandbyEstimate(environment: string, size: SizeName, usage: Usage, migrating = false): Estimate {
  const settings = sizeSettings(environment, size, migrating);
  const lines = standbyLines(environment, settings, scaleUsage(usage, SIZE_USERS[size]));
  return { name: `${drStackName(environment)} at ${size} (${configOf(environment, settings).dr.mode})`, lines, total: total(lines) };
}

/** The standby of `environment` at each size preset, when it has one. */
export function sizeStandbyEstimates(environment: string, usage: Usage): Estimate[] {
  return configOf(environment).dr.enabled ? (Object.keys(SIZE_PRESETS) as SizeName[]).map((size) => sizeStandbyEstimate(environment, size, usage)) : [];
}

/** The baseline's lines; GuardDuty runtime monitoring scales with the environments' vCPUs. */
export function baselineEstimate(usage: Usage, fargateVcpus: number, stack = BASELINE_STACK): Estimate {
  const lines = estimateBaseline(baselineJson(stack), usage, fargateVcpus);
  return { name: stack, lines, total: total(lines) };
}
