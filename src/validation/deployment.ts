/**
 * Where the deployment's settings come from and how they are validated as a whole: cdktf.json's
 * context (read here and nowhere else), the DEPLOYMENT_SETTINGS overlay, and the checks across
 * environments.
 */
import * as fs from "fs";
import * as path from "path";
import { guardDutyAgentProblems } from "../constructs/service";
import { type BaselineConfig, guardDutyManagesFargateAgent } from "../config/baseline";
import type { CiConfig } from "../config/ci";
import { ConfigurationError, ProblemCollector } from "../config/errors";
import { mergeEnvironment, mergeSettings, personalEnvironments, resolveBaseline, resolveCi, resolveEnvironments } from "./index";
import { placed, SettingsPlaces } from "./places";
import { type AccountTarget, type DeploymentAccount, deploymentAccounts } from "../config/accounts";
import { settingMessage } from "../config/messages";
import { BASE, type DeepPartial } from "../config/presets";
import { environmentSchema, type EnvironmentConfig } from "../config/schema";
import { deployRolePlaceProblems } from "./rules/accounts";
import { sharedBucketPolicyProblems } from "./rules/bucket-policies";
import {
  asSettings,
  type DeploymentSettings,
  ENVIRONMENTS_DIR,
  type EnvironmentSettings,
  parseJson,
  readSettingsOverlay,
  SETTINGS_FILE_VARIABLE,
  withSource,
} from "../config/settings";
import {
  ACCOUNT_BUCKET_ROLES,
  accountBucketName,
  auditBucketName,
  BASELINE_STACK,
  bucketNameProblems,
  CI_STACK,
  STATE_STACK,
  stateAccessLogsBucketName,
  stateBucketName,
} from "../config/naming";

/** The project's root: the nearest directory up from this code that has cdktf.json (from src/config/, or from the app bundle in .cache/app/). */
export const PROJECT_ROOT = projectRoot(__dirname);

/**
 * The build folder, relative to the project root: cdktf writes the stacks there (cdktf.json sets
 * no `output`) and runs each stack's Terraform in its `stacks/<name>`; main.ts's default outdir.
 */
export const BUILD_DIR = "cdktf.out";

/**
 * The state bootstrap stack's own state, relative to the project root: it cannot live in the
 * bucket the stack creates, and a synthesis may clean the build folder. So a file in the project,
 * outside the build folder, that git ignores (docs/operations.md says how to keep it).
 */
export const BOOTSTRAP_STATE_FILE = "bootstrap-state/terraform.state.tfstate";

/**
 * BOOTSTRAP_STATE_FILE as the state stack's local backend names it: relative to the directory
 * cdktf runs its Terraform in (cdktf.out/stacks/state), `../../../bootstrap-state/...`, so that
 * the synthesized stack is the same in every checkout of the project.
 */
export const BOOTSTRAP_STATE_BACKEND_PATH = path.posix.relative(path.posix.join(BUILD_DIR, "stacks", STATE_STACK), BOOTSTRAP_STATE_FILE);

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json above ${from}`);
  }
}

/** cdktf.json of the project in `dir` (the project root by default), parsed; a syntax error names its line and column. */
export function readCdktfJson(dir = PROJECT_ROOT): { app: string; context?: Record<string, unknown> } & Record<string, unknown> {
  const file = path.join(dir, "cdktf.json");
  return parseJson(fs.readFileSync(file, "utf8"), file) as { app: string; context?: Record<string, unknown> };
}

/** cdktf.json's `context`, which holds the deployment settings. */
export function cdktfContext(dir = PROJECT_ROOT): Record<string, unknown> {
  return readCdktfJson(dir).context ?? {};
}

/**
 * The deployment settings committed in the project at `dir`: cdktf.json's context.deployment,
 * with every environment of the ENVIRONMENTS_DIR folder added to its `environments`.
 */
export function committedSettings(dir = PROJECT_ROOT): DeploymentSettings {
  return withEnvironmentsFolder(asSettings(cdktfContext(dir)[SETTINGS_CONTEXT_KEY] ?? {}, `cdktf.json's context.${SETTINGS_CONTEXT_KEY}`), dir);
}

/** The key of cdktf.json's `context` that holds the deployment settings. */
export const SETTINGS_CONTEXT_KEY = "deployment";

/** Where an environment of the folder is declared, relative to the project root: `environments/<name>.json`. */
export const environmentFile = (environment: string): string => path.posix.join(ENVIRONMENTS_DIR, `${environment}.json`);

/**
 * The environments of the ENVIRONMENTS_DIR folder of the project at `dir`, by name (the file's
 * name), in the order of their names; none when there is no folder. Each file must hold an object.
 */
export function readEnvironmentsFolder(dir = PROJECT_ROOT): Record<string, EnvironmentSettings> {
  const folder = path.join(dir, ENVIRONMENTS_DIR);
  if (!fs.existsSync(folder)) return {};
  const collector = new ProblemCollector();
  const files = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort();
  const environments = Object.fromEntries(
    files.map((name) => {
      const file = environmentFile(name.slice(0, -".json".length));
      const settings = collector.attempt(() => {
        const value = parseJson(fs.readFileSync(path.join(dir, file), "utf8"), file);
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          throw new ConfigurationError([
            `${file} is not a JSON object; it holds one environment's settings, as environments.<name> would. Fix: write an object such as { "preset": "dev" }, or {} to take the preset of the environment's name.`,
          ]);
        }
        return value;
      });
      return [name.slice(0, -".json".length), settings ?? {}];
    }),
  );
  if (collector.problems.length > 0) throw new ConfigurationError(collector.problems);
  return environments;
}

/**
 * `settings` (cdktf.json's) with the folder's environments added; an environment declared in
 * both is refused, naming both places, since either would silently win over the other.
 */
function withEnvironmentsFolder(settings: DeploymentSettings, dir: string): DeploymentSettings {
  const collector = new ProblemCollector();
  const folder = collector.attempt(() => readEnvironmentsFolder(dir)) ?? {};
  const inCdktfJson = settings.environments ?? {};
  for (const name of Object.keys(folder).filter((n) => Object.hasOwn(inCdktfJson, n))) {
    collector.problems.push(
      `environment "${name}" is declared twice: in cdktf.json (context.${SETTINGS_CONTEXT_KEY}.environments.${name}) and in ${environmentFile(name)}. Fix: keep one: move its settings into ${environmentFile(name)} and remove it from cdktf.json's environments.`,
    );
  }
  if (settings.personal !== undefined) {
    collector.problems.push(
      `cdktf.json's context.${SETTINGS_CONTEXT_KEY}.personal ${JSON.stringify(settings.personal)}: not a setting; an environment is personal when only the ${SETTINGS_FILE_VARIABLE} file declares it. Fix: remove personal.`,
    );
  }
  if (collector.problems.length > 0) throw new ConfigurationError(collector.problems);
  const environmentFiles = Object.fromEntries(Object.keys(folder).map((name) => [name, environmentFile(name)]));
  return withSource(Object.keys(folder).length === 0 ? settings : { ...settings, environments: { ...inCdktfJson, ...folder } }, {
    file: "cdktf.json",
    key: `context.${SETTINGS_CONTEXT_KEY}`,
    environmentFiles,
  });
}

/**
 * The settings layers, as `cdktf synth` sees them: the committed settings (cdktf.json's context,
 * which the CLI passes in CDKTF_CONTEXT_JSON, read from `cwd`/cdktf.json when run without the CLI;
 * and the environments of `cwd`/environments/), then the file that DEPLOYMENT_SETTINGS names,
 * marked personal.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DeploymentSettings[] {
  // Both sources are read, so that a problem in each is reported at once.
  const collector = new ProblemCollector();
  const committed = collector.attempt(() => {
    const context = env.CDKTF_CONTEXT_JSON ? JSON.parse(env.CDKTF_CONTEXT_JSON) : cdktfContext(cwd);
    const settings = context[SETTINGS_CONTEXT_KEY];
    // Without them every preset's defaults would be validated, and their problems (prod's certificates) reported instead.
    if (settings === undefined) throw new ConfigurationError([missingSettings()]);
    return withEnvironmentsFolder(asSettings(settings, `cdktf.json's context.${SETTINGS_CONTEXT_KEY}`), cwd);
  });
  const overlay = collector.attempt(() => readSettingsOverlay(env));
  if (collector.problems.length > 0) throw new ConfigurationError(collector.problems);
  return [committed, overlay].filter((layer): layer is DeploymentSettings => layer !== undefined);
}

function missingSettings(): string {
  return `cdktf.json's context.${SETTINGS_CONTEXT_KEY} is missing: the deployment settings (accountId, region, ...) are committed there, the team's environments in ${ENVIRONMENTS_DIR}/<name>.json, and a ${SETTINGS_FILE_VARIABLE} file only adds to them. Fix: add "context": { "${SETTINGS_CONTEXT_KEY}": { "accountId": "..." } } to cdktf.json (docs/settings.md lists every key).`;
}

/** The validated configuration of a whole deployment. */
export interface Deployment {
  readonly environments: EnvironmentConfig[];
  /**
   * The environments only a DEPLOYMENT_SETTINGS file declares (personalEnvironments): each has
   * its own stack and nothing in the shared stacks.
   */
  readonly personal: readonly string[];
  readonly baseline: BaselineConfig;
  readonly ci: CiConfig;
  /** Every account the deployment deploys into: the default (top-level accountId, the state's) first, then each other environment's. */
  readonly accounts: readonly DeploymentAccount[];
  /** The account that holds the Terraform state bucket (the state stack): the top-level accountId. */
  readonly stateAccount: AccountTarget;
}

/** The environments the shared stacks serve: every one but the personal ones. */
export const teamEnvironments = (deployment: Deployment): EnvironmentConfig[] =>
  deployment.environments.filter((c) => !deployment.personal.includes(c.environment));

/**
 * Every environment's and the baseline's validated configuration. Throws one
 * ConfigurationError listing every problem, including environments that disagree on where
 * the shared state bucket is.
 */
export function resolveDeployment(settings: DeploymentSettings[]): Deployment {
  const collector = new ProblemCollector();
  const { problems } = collector;
  // Every problem names the file and key it is written in, where the settings were read from files.
  const places = new SettingsPlaces(settings);
  const environments = collector.attempt(() => resolveEnvironments(...settings));
  const baseline = collector.attempt(() => resolveBaseline(...settings));
  const ci = collector.attempt(() => resolveCi(...settings));
  const personal = personalEnvironments(...settings);
  const stateAccount = environments && collector.attempt(() => defaultAccount(settings, environments, places));
  const accounts =
    environments &&
    stateAccount &&
    collector.attempt(() => sharedStateLocation(environments, personal, stateAccount, baseline?.cloudTrailToStateAccount ?? false, places));
  problems.push(...personalStandbyProblems(settings, personal, places));
  if (environments && baseline)
    problems.push(...imageReplicationProblems(environments, baseline, places), ...guardDutyAgentRegionProblems(environments, baseline, places));
  if (baseline?.cloudTrailToStateAccount && !(baseline.enabled && baseline.cloudTrail))
    problems.push(
      placed(
        places.ofTopLevel("baseline.cloudTrailToStateAccount"),
        "baseline.cloudTrailToStateAccount",
        `is true while ${baseline.enabled ? "baseline.cloudTrail" : "baseline.enabled"} is false: no trail of this project delivers to the state account. Fix: remove baseline.cloudTrailToStateAccount, or set ${baseline.enabled ? "baseline.cloudTrail" : "baseline.enabled"} to true.`,
      ),
    );
  if (environments && baseline && ci && stateAccount && accounts)
    problems.push(...sharedBucketPolicyProblems({ environments, accounts, stateAccount, baseline, ci }));
  if (!environments || !baseline || !ci || !stateAccount || !accounts || problems.length > 0) throw new ConfigurationError(problems);
  return { environments, personal, baseline, ci, accounts, stateAccount };
}

/**
 * The top-level accountId and deployRoleArn: the default account of the environments, whose
 * shared stacks keep their names, and where the state bucket is. Checked here only when no
 * environment deploys into it (an environment's problems already include it otherwise).
 */
function defaultAccount(settings: readonly DeploymentSettings[], environments: readonly EnvironmentConfig[], places: SettingsPlaces): AccountTarget {
  const merged = mergeSettings(...settings);
  const accountId = merged.accountId ?? BASE.accountId;
  const deployRoleArn = merged.deployRoleArn;
  const topLevel = (path: string, message: string) => placed(places.ofTopLevel(path), path, message);
  if (!environments.some((c) => c.accountId === accountId)) {
    const parsed = environmentSchema.pick({ accountId: true, deployRoleArn: true }).safeParse({ accountId, deployRoleArn }, { error: settingMessage });
    if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => topLevel(issue.path.join("."), issue.message)));
    const region = environments[0].region;
    const misplaced = deployRolePlaceProblems("deployRoleArn", deployRoleArn, { accountId, region }, "the top-level accountId");
    if (misplaced.length > 0) throw new ConfigurationError(misplaced.map((p) => topLevel(p.path, p.message)));
  }
  return { accountId, ...(deployRoleArn ? { deployRoleArn } : {}) };
}

/**
 * A personal environment touches no shared stack, and a standby needs one: its image is copied to
 * the DR region by the registry's one replication configuration, in the baseline stack.
 */
function personalStandbyProblems(settings: readonly DeploymentSettings[], personal: readonly string[], places: SettingsPlaces): string[] {
  // Read from the merged settings, not the validated ones: said together with the environment's
  // own problems (a standby's replication settings), whose fixes would not help a personal one.
  return personal
    .map((environment) => ({ environment, merged: mergeEnvironment(environment, ...settings) as DeepPartial<EnvironmentConfig> }))
    .filter(({ merged }) => merged.dr?.enabled === true)
    .map(({ environment, merged }) => {
      const why = `(a personal environment, which changes no shared stack): its standby would need the ${BASELINE_STACK} stack's ECR replication of its image to ${merged.stateRegion}. Fix: commit it as ${environmentFile(environment)} (a team environment, in every synthesis's ${BASELINE_STACK} and ${CI_STACK} stacks)`;
      const { place, set } = places.ofEnvironment(environment, "dr.enabled");
      return place
        ? placed(
            place,
            "dr.enabled",
            `is true${set ? "" : " (its preset's)"}, but only the ${SETTINGS_FILE_VARIABLE} file declares environment "${environment}" ${why}, or set dr.enabled to false there.`,
          )
        : `environment "${environment}" has dr.enabled, but only the ${SETTINGS_FILE_VARIABLE} file declares it ${why}, or set environments.${environment}.dr.enabled to false.`;
    });
}

/**
 * A standby pulls its image from the DR region, where ECR replication copies it; the registry
 * has one replication configuration, which the baseline stack holds for every environment.
 */
function imageReplicationProblems(configs: readonly EnvironmentConfig[], baseline: BaselineConfig, places: SettingsPlaces): string[] {
  if (baseline.enabled) return [];
  return configs
    .filter((c) => c.dr.enabled)
    .map((c) =>
      placed(
        places.ofTopLevel("baseline.enabled"),
        "baseline.enabled",
        `is false while environment "${c.environment}" has dr.enabled: the ${BASELINE_STACK} stack holds the registry's one ECR replication configuration, which copies the image to ${c.stateRegion} for the standby. Fix: set baseline.enabled to true and switch off the services your organization already runs (baseline.guardDuty, baseline.config, baseline.securityHub, baseline.cloudTrail), or set dr.enabled to false.`,
      ),
    );
}

/**
 * Where the baseline's GuardDuty manages its agent in the ECS Fargate tasks, every region that
 * runs tasks (the environments' region, and each standby's DR region) has GuardDuty's agent
 * repository, which the execution roles pull from (the Service's input rule).
 */
function guardDutyAgentRegionProblems(configs: readonly EnvironmentConfig[], baseline: BaselineConfig, places: SettingsPlaces): string[] {
  const guardDutyAgent = guardDutyManagesFargateAgent(baseline);
  const at = () => "baseline.guardDuty";
  const regions = new Map<string, string>();
  for (const c of configs) {
    if (!regions.has(c.region)) regions.set(c.region, "the environments' region");
    if (c.dr.enabled && !regions.has(c.stateRegion)) regions.set(c.stateRegion, `the DR region (stateRegion) of environment "${c.environment}"'s standby`);
  }
  return [...regions].flatMap(([region, where]) =>
    guardDutyAgentProblems({ guardDutyAgent, region }, at, where).map((p) => placed(places.ofTopLevel(p.path), p.path, p.message)),
  );
}

/**
 * The environments share the state bucket of the state stack and the regions of the shared
 * stacks; each account they deploy into is reached with one role, with which its baseline and CI
 * stacks are deployed.
 */
function sharedStateLocation(
  configs: EnvironmentConfig[],
  personal: readonly string[],
  stateAccount: AccountTarget,
  auditBucket: boolean,
  places: SettingsPlaces,
): DeploymentAccount[] {
  /** A problem of `environment`'s setting `path`, naming where it is written. */
  const of = (environment: string, path: string, message: string) =>
    placed(places.ofEnvironment(environment, path).place, path, message, `environment "${environment}"`);
  const [first, ...rest] = configs;
  const problems = rest.flatMap((c) =>
    (["project", "region", "stateRegion"] as const)
      .filter((key) => c[key] !== first[key])
      .map((key) =>
        of(
          c.environment,
          key,
          `"${c[key]}" differs from environment "${first.environment}" ("${first[key]}"); the environments share the state bucket of the ${STATE_STACK} stack and the region of each account's ${BASELINE_STACK} stack. Fix: set ${key} once, at the top level of the settings.`,
        ),
      ),
  );
  // The shared stacks serve the team's environments; a personal one deploys into an account they use.
  const team = configs.filter((c) => !personal.includes(c.environment));
  const accounts = deploymentAccounts(team, stateAccount);
  const reached = new Set(accounts.map((a) => a.accountId));
  for (const c of configs.filter((c) => personal.includes(c.environment) && c.accountId !== stateAccount.accountId))
    problems.push(
      of(
        c.environment,
        "accountId",
        reached.has(c.accountId)
          ? `"${c.accountId}" is not the state bucket's account (${stateAccount.accountId}); the bucket's policy, in the shared ${STATE_STACK} stack, lets another account use only its team environments' state keys, and a personal environment changes no shared stack, so Terraform would be refused its state (AccessDenied at init). Fix: commit it as ${environmentFile(c.environment)} (a team environment, whose key the ${STATE_STACK} stack grants), or deploy it into the state bucket's account by naming accountId "${stateAccount.accountId}".`
          : `"${c.accountId}" is an account no team environment deploys into; a personal environment changes no shared stack, so that account would have no ${BASELINE_STACK} stack and the state bucket would not let it in. Fix: commit it as ${environmentFile(c.environment)}, or deploy it into the state bucket's account by naming accountId "${stateAccount.accountId}".`,
      ),
    );
  // With environments in accounts of their own, the top-level account is the state's (and the
  // audit trail's): an environment lands there only when it names it, never by default.
  const elsewhere = accounts.find((a) => a.accountId !== stateAccount.accountId && a.environments.length > 0);
  if (elsewhere)
    for (const c of configs) {
      const where = places.ofEnvironment(c.environment, "accountId");
      if (where.set && !where.topLevel) continue;
      problems.push(
        placed(
          places.home(c.environment),
          "accountId",
          `is not set for the environment, so it takes the top-level accountId ${stateAccount.accountId}: the account of the Terraform state${auditBucket ? " and the audit trail" : ""}, where no workload should land by default while environment "${elsewhere.environments[0].environment}" deploys into an account of its own (${elsewhere.accountId}). Fix: set the environment's own accountId, there, to the account it deploys into; to deploy it into the state account, name "${stateAccount.accountId}" as its accountId.`,
          `environment "${c.environment}"`,
        ),
      );
    }
  const role = (c: { deployRoleArn?: string }) => (c.deployRoleArn ? `"${c.deployRoleArn}"` : "none");
  for (const account of accounts.filter((a) => a.environments.length > 0)) {
    const [owner, ...others] = account.environments;
    if (account.isDefault && owner.deployRoleArn !== stateAccount.deployRoleArn)
      problems.push(
        of(
          owner.environment,
          "deployRoleArn",
          `${role(owner)} differs from the top-level deployRoleArn (${role(stateAccount)}) of the same account ${account.accountId}, with which the ${STATE_STACK} stack is deployed; the account's stacks are deployed with one role. Fix: set deployRoleArn once, at the top level.`,
        ),
      );
    for (const other of others.filter((c) => c.deployRoleArn !== owner.deployRoleArn)) {
      problems.push(
        of(
          other.environment,
          "deployRoleArn",
          `${role(other)} differs from environment "${owner.environment}" (${role(owner)}), which deploys into the same account ${account.accountId}; the account's ${account.baselineStack} and ${account.ciStack} stacks are deployed with one role. Fix: give both environments the same deployRoleArn, or none.`,
        ),
      );
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  sharedBucketNames(first, stateAccount, accounts, auditBucket, places);
  return accounts;
}

/** The shared stacks' buckets (state and its access logs in the state account, each account's baseline buckets) follow S3's naming rules too. */
function sharedBucketNames(
  { project, region, stateRegion }: EnvironmentConfig,
  stateAccount: AccountTarget,
  accounts: readonly DeploymentAccount[],
  auditBucket: boolean,
  places: SettingsPlaces,
): void {
  const names = [
    stateBucketName(project, stateRegion, stateAccount.accountId),
    stateAccessLogsBucketName(project, stateRegion, stateAccount.accountId),
    ...accounts.flatMap(({ accountId }) => ACCOUNT_BUCKET_ROLES.map((role) => accountBucketName(project, role, region, accountId))),
    ...(auditBucket ? [auditBucketName(project, stateRegion, stateAccount.accountId)] : []),
  ];
  const problems = [...new Set(names)].flatMap((name) =>
    bucketNameProblems(name).map((problem) =>
      placed(places.ofTopLevel("project"), "project", `"${project}" gives the shared bucket name ${problem}. Fix: shorten project.`),
    ),
  );
  if (problems.length > 0) throw new ConfigurationError(problems);
}
