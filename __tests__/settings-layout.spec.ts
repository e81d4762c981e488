/**
 * Where the settings come from: cdktf.json's context.deployment, the team's environments in
 * environments/<name>.json (every synthesis reads them all), and a DEPLOYMENT_SETTINGS file, whose
 * own environments are personal: they get their own stacks and change no shared stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigurationError, type DeploymentSettings, environmentNames, personalEnvironments } from "../src/validation";
import { cdktfContext, committedSettings, loadSettings, PROJECT_ROOT, readCdktfJson, resolveDeployment, teamEnvironments } from "../src/validation/deployment";
import { cachedStacks } from "../src/synth/cache";

/** The project's cdktf.json settings without environments: what the team shares. */
const { environments: _committedEnvironments, ...shared } = cdktfContext().deployment as DeploymentSettings;

/**
 * A project directory with cdktf.json (context.deployment = `deployment`), `environments` as files
 * of environments/, and, when given, a DEPLOYMENT_SETTINGS file; its settings layers as loaded.
 */
function project(files: { deployment?: object; environments?: Record<string, unknown>; overlay?: object }): { dir: string; load: () => DeploymentSettings[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "settings-layout-"));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ ...readCdktfJson(), context: { deployment: files.deployment ?? shared } }));
  if (files.environments) {
    fs.mkdirSync(path.join(dir, "environments"));
    for (const [name, content] of Object.entries(files.environments)) {
      fs.writeFileSync(path.join(dir, "environments", `${name}.json`), typeof content === "string" ? content : JSON.stringify(content));
    }
  }
  const env: NodeJS.ProcessEnv = {};
  if (files.overlay) {
    env.DEPLOYMENT_SETTINGS = path.join(dir, "deployment.local.json");
    fs.writeFileSync(env.DEPLOYMENT_SETTINGS, JSON.stringify(files.overlay));
  }
  return { dir, load: () => loadSettings(env, dir) };
}

/** The problems a load (and validation) reports; empty when there are none. */
function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return error.problems;
  }
}

const PROD = { acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } }, loadBalancer: { targetProtocol: "HTTP" } };
const SANDBOX = { environments: { sbxalice: { preset: "sandbox" } } };

describe("the team's environments, one file each in environments/", () => {
  test("GIVEN environments/staging.json WHEN the project synthesizes without any settings file THEN staging is a team environment: its stack, its CI roles, its image replication", () => {
    // GIVEN the committed environments and staging as a file of the folder
    const { load } = project({ environments: { dev: {}, prod: PROD, staging: { ...PROD, preset: "prod" } } });
    // WHEN synthesized with nothing but the committed files
    const stacks = cachedStacks(load());
    // THEN staging and its standby are there, and the shared stacks serve it
    expect([...stacks.keys()].sort()).toEqual(["baseline", "ci", "dev", "prod", "prod-dr", "staging", "staging-dr", "state"]);
    expect(Object.keys(JSON.parse(stacks.get("ci")!).resource.aws_iam_role)).toContain("staging_deployer");
    const replication = JSON.parse(stacks.get("baseline")!).resource.aws_ecr_replication_configuration;
    expect(JSON.stringify(replication)).toContain("smh-dashboard-staging");
  });

  test("GIVEN the committed dev and prod moved from cdktf.json into environments/ WHEN resolved THEN the deployment is the same as from cdktf.json", () => {
    // GIVEN the same environments in the old layout (cdktf.json) and in the new one (the folder)
    const old = project({ deployment: { ...shared, environments: { dev: {}, prod: PROD } } });
    const folder = project({ environments: { dev: {}, prod: PROD } });
    // WHEN each is resolved
    // THEN both give the same deployment, and the project's own committed settings are that one
    expect(resolveDeployment(folder.load())).toEqual(resolveDeployment(old.load()));
    expect(resolveDeployment([committedSettings()])).toEqual(resolveDeployment(old.load()));
  });

  test("GIVEN an environment in cdktf.json and in environments/ WHEN loaded THEN one problem names both places and the fix", () => {
    const { load } = project({
      deployment: { ...shared, environments: { staging: { preset: "dev" } } },
      environments: { dev: {}, staging: { preset: "dev" } },
    });
    expect(problemsOf(load)).toEqual([
      'environment "staging" is declared twice: in cdktf.json (context.deployment.environments.staging) and in environments/staging.json. Fix: keep one: move its settings into environments/staging.json and remove it from cdktf.json\'s environments.',
    ]);
  });

  test("GIVEN a file of environments/ that is not an object, and one with a syntax error WHEN loaded THEN each is reported, naming the file", () => {
    const { load } = project({ environments: { dev: "[]", prod: '{\n  "preset": "prod",\n}\n' } });
    expect(problemsOf(load)).toEqual([
      expect.stringMatching(/^environments\/dev\.json is not a JSON object; .* Fix: write an object such as \{ "preset": "dev" \}/),
      expect.stringMatching(/^environments\/prod\.json:3:1: not valid JSON \(.*\)\. Fix: correct the JSON/),
    ]);
  });

  test("GIVEN cdktf.json that sets personal WHEN loaded THEN it is refused: only a DEPLOYMENT_SETTINGS file is personal", () => {
    const { load } = project({ deployment: { ...shared, personal: true }, environments: { dev: {} } });
    expect(problemsOf(load)).toEqual([expect.stringMatching(/^cdktf\.json's context\.deployment\.personal true: not a setting; .* Fix: remove personal\.$/)]);
  });
});

describe("a personal environment, declared only in the DEPLOYMENT_SETTINGS file", () => {
  const without = cachedStacks(project({ environments: { dev: {}, prod: PROD } }).load());
  const withSandbox = cachedStacks(project({ environments: { dev: {}, prod: PROD }, overlay: SANDBOX }).load());

  test("GIVEN a sandbox in the settings file WHEN synthesized THEN it gets its own stack", () => {
    expect([...withSandbox.keys()].filter((name) => !without.has(name))).toEqual(["sbxalice"]);
  });

  test.each(["state", "baseline", "ci", "dev", "prod", "prod-dr"])(
    "GIVEN a sandbox in the settings file WHEN synthesized THEN %s is byte for byte as without the file",
    (name) => {
      expect(withSandbox.get(name)).toBe(without.get(name));
    },
  );

  test("GIVEN a settings file that only overrides prod WHEN resolved THEN prod stays a team environment, served by the shared stacks", () => {
    const { load } = project({ environments: { dev: {}, prod: PROD }, overlay: { environments: { prod: { alertEmail: "ops@example.edu" } } } });
    const deployment = resolveDeployment(load());
    expect(deployment.personal).toEqual([]);
    expect(teamEnvironments(deployment).map((c) => c.environment)).toEqual(["dev", "prod"]);
  });

  test("GIVEN committed settings that name no environment and a file that names a sandbox WHEN named THEN the team still has dev and prod, and the sandbox is beside them", () => {
    expect(environmentNames(shared, { ...SANDBOX, personal: true })).toEqual(["dev", "prod", "sbxalice"]);
    expect(personalEnvironments(shared, { ...SANDBOX, personal: true })).toEqual(["sbxalice"]);
  });

  test("GIVEN a personal environment from the prod preset (a standby) WHEN resolved THEN it is refused: its standby needs the baseline's image replication", () => {
    const { dir, load } = project({ environments: { dev: {}, prod: PROD }, overlay: { environments: { staging: { ...PROD, preset: "prod" } } } });
    expect(problemsOf(() => resolveDeployment(load()))).toEqual([
      `${dir}/deployment.local.json: environments.staging.dr.enabled is true (its preset's), but only the DEPLOYMENT_SETTINGS file declares environment "staging" (a personal environment, which changes no shared stack): its standby would need the baseline stack's ECR replication of its image to us-west-2. Fix: commit it as environments/staging.json (a team environment, in every synthesis's baseline and ci stacks), or set dr.enabled to false there.`,
    ]);
  });

  test("GIVEN a personal sandbox with dr.enabled and its standby's other problems WHEN resolved THEN the refusal of a personal standby is said with them, not after they are fixed", () => {
    const { load } = project({ environments: { dev: {}, prod: PROD }, overlay: { environments: { sbxalice: { preset: "sandbox", dr: { enabled: true } } } } });
    const problems = problemsOf(() => resolveDeployment(load()));
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.at(-1)).toMatch(
      /deployment\.local\.json: environments\.sbxalice\.dr\.enabled is true, but only the DEPLOYMENT_SETTINGS file declares environment "sbxalice" .* Fix: commit it as environments\/sbxalice\.json/,
    );
  });
});

describe("a problem names the file it is written in, and the key in that file", () => {
  /** The problems of the project's settings as synthesis reports them: loaded, then validated as a whole. */
  const problems = (files: Parameters<typeof project>[0]) => {
    const { dir, load } = project(files);
    return { dir, problems: problemsOf(() => resolveDeployment(load())) };
  };

  test("GIVEN environments/qa.json with a bad value WHEN resolved THEN the problem names the file and the key in it, not environments.qa", () => {
    expect(problems({ environments: { dev: {}, prod: PROD, qa: { preset: "dev", service: { desiredCount: -1 } } } }).problems).toEqual([
      "environments/qa.json: service.desiredCount is -1, below the minimum of 0. Fix: set it to 0 or more.",
    ]);
  });

  test("GIVEN files of environments/ with an unknown key, an unknown preset and no preset WHEN resolved THEN each names its file", () => {
    const { problems: found } = problems({
      environments: { dev: {}, prod: PROD, qa: { preset: "dev", bogus: 1, network: { cidr: "10.0.0.0/16" } }, qb: { preset: "nope" }, qc: {} },
    });
    expect(found).toEqual([
      'environments/qb.json: preset "nope" is not a preset. Fix: use one of dev, sandbox, prod.',
      'environments/qc.json: declares no preset to start from. Fix: add "preset": "dev" (cheap, disposable), "preset": "sandbox" (one developer\'s, cheapest) or "preset": "prod" (protected, full stack) to environments/qc.json.',
      'environments/qa.json: network has unknown setting(s) "cidr". Fix: correct the spelling or remove them; docs/settings.md lists every key.',
      'environments/qa.json: has unknown setting(s) "bogus". Fix: correct the spelling or remove them; docs/settings.md lists every key.',
    ]);
  });

  test("GIVEN environments/qa.json from the prod preset without certificates WHEN resolved THEN a setting it takes from its preset is named in its file, where it would be set", () => {
    const { problems: found } = problems({ environments: { dev: {}, prod: PROD, qa: { preset: "prod" } } });
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((p) => !p.startsWith("environments/qa.json: "))).toEqual([]);
    expect(found).toContainEqual(expect.stringMatching(/^environments\/qa\.json: edge\.cloudfront\.certificateArn is required while CloudFront is on/));
  });

  test("GIVEN bad top-level settings in cdktf.json WHEN resolved THEN each is named once, as cdktf.json's context.deployment key, for every environment", () => {
    const { problems: found } = problems({
      deployment: { ...shared, bogus: 1, service: { desiredCount: -2 }, baseline: { guardDuty: "x" } },
      environments: { dev: {}, prod: PROD },
    });
    expect(found).toEqual([
      'cdktf.json: context.deployment: unknown top-level setting(s) "bogus". Fix: correct the spelling or remove them; docs/settings.md lists every key.',
      "cdktf.json: context.deployment.service.desiredCount is -2, below the minimum of 0. Fix: set it to 0 or more.",
      'cdktf.json: context.deployment.baseline.guardDuty is the string "x"; it must be true or false. Fix: write it so (docs/settings.md lists every key), or remove it to keep the preset\'s value.',
    ]);
  });

  test("GIVEN a setting of cdktf.json that only one environment is refused for WHEN resolved THEN it names cdktf.json's key and that environment", () => {
    // GIVEN qa in another region than the zones cdktf.json lists for every environment
    const { problems: found } = problems({ environments: { dev: {}, prod: PROD, qa: { preset: "dev", region: "eu-west-1" } } });
    expect(found).toEqual([
      'cdktf.json (environment "qa"): context.deployment.availabilityZones[0] "us-east-1a" is not a zone of region eu-west-1. Fix: use a zone such as "eu-west-1a".',
      'cdktf.json (environment "qa"): context.deployment.availabilityZones[1] "us-east-1b" is not a zone of region eu-west-1. Fix: use a zone such as "eu-west-1a".',
    ]);
  });

  test("GIVEN an environment in cdktf.json's environments (the layout before environments/) WHEN resolved THEN its problem names cdktf.json and the whole key", () => {
    const { problems: found } = problems({
      deployment: { ...shared, environments: { dev: {}, prod: PROD, qa: { preset: "dev", service: { desiredCount: -1 } } } },
    });
    expect(found).toEqual(["cdktf.json: context.deployment.environments.qa.service.desiredCount is -1, below the minimum of 0. Fix: set it to 0 or more."]);
  });

  test("GIVEN a problem in each of cdktf.json, environments/qa.json and the DEPLOYMENT_SETTINGS file WHEN resolved THEN one message lists the three, each with its file and its fix", () => {
    const { dir, load } = project({
      deployment: { ...shared, service: { maxCount: 0 } },
      environments: { dev: {}, prod: PROD, qa: { preset: "dev", alertEmail: "ops-at-example" } },
      overlay: { environments: { sbxalice: { preset: "sandbox", service: { desiredCount: -3 } } } },
    });
    let message = "";
    try {
      resolveDeployment(load());
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "Invalid deployment configuration (3 problems):",
      "  - cdktf.json: context.deployment.service.maxCount is 0; it must be greater than 0. Fix: set it above 0.",
      expect.stringMatching(/^ {2}- environments\/qa\.json: alertEmail is "ops-at-example"; it must be an e-mail address.* Fix: /),
      `  - ${dir}/deployment.local.json: environments.sbxalice.service.desiredCount is -3, below the minimum of 0. Fix: set it to 0 or more.`,
    ]);
  });

  test("GIVEN the same problem in settings built in code WHEN resolved THEN it names the environment, as there is no file to name", () => {
    expect(problemsOf(() => resolveDeployment([{ ...shared, environments: { qa: { preset: "dev", service: { desiredCount: -1 } } } }]))).toEqual([
      'environment "qa": service.desiredCount is -1, below the minimum of 0. Fix: set it to 0 or more.',
    ]);
  });
});

test("the project's committed environments are the files of environments/, and cdktf.json names none", () => {
  expect(fs.readdirSync(path.join(PROJECT_ROOT, "environments")).sort()).toEqual(["dev.json", "prod.json"]);
  expect(cdktfContext().deployment).not.toHaveProperty("environments");
  expect(Object.keys(committedSettings().environments ?? {})).toEqual(["dev", "prod"]);
});
