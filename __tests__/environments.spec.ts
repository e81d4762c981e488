/**
 * Environments are data: a third environment named in the settings gets its own stack, state key
 * and names, passes offline terraform validate and plan, and changes nothing in the others; the
 * multi-account example (an account per environment, the state in a third) plans offline, every stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planJson, plannedChanges, prepareWorkDir, setupTerraform, terraform, initOffline, WORK_ROOT } from "../tools/lib/terraform/harness";
import { projectSettings, synthesize, type SynthesizedStack } from "../src/synth/synthesize";

jest.setTimeout(300_000);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "environments-"));
const settingsFile = path.join(scratch, "staging.json");
fs.writeFileSync(settingsFile, JSON.stringify({ environments: { staging: { preset: "dev", database: { enabled: true } } } }));

const committed = synthesize({ outdir: path.join(scratch, "committed"), settings: projectSettings() }).stacks;
const withStaging = synthesize({
  outdir: path.join(scratch, "with-staging"),
  settings: projectSettings({ ...process.env, DEPLOYMENT_SETTINGS: settingsFile }),
}).stacks;
const stackJson = (stacks: SynthesizedStack[], name: string) => {
  const stack = stacks.find((s) => s.name === name);
  if (!stack) throw new Error(`no stack ${name}; there are ${stacks.map((s) => s.name).join(", ")}`);
  return JSON.parse(fs.readFileSync(stack.file, "utf8"));
};

test("a settings file that names staging adds a staging stack beside the others", () => {
  expect(withStaging.map((s) => s.name).sort()).toEqual(["baseline", "ci", "dev", "prod", "prod-dr", "staging", "state"]);
});

test("the pipeline gets staging's roles; staging, from the dev preset (data not protected), deploys from the main branch", () => {
  const ci = stackJson(withStaging, "ci");
  expect(
    Object.keys(ci.resource.aws_iam_role)
      .filter((r) => r.startsWith("staging_"))
      .sort(),
  ).toEqual(["staging_deployer", "staging_image_publisher", "staging_plan_reader"]);
  const trust = (ci.data!.aws_iam_policy_document.staging_deployer_trust as { statement: { condition: { variable: string; values: string[] }[] }[] })
    .statement[0];
  expect(trust.condition.find((c) => c.variable.endsWith(":sub"))!.values).toEqual(["repo:example-university/mh-dashboard-infra:ref:refs/heads/main"]);
});

test("staging keeps its state under its own key and names its resources after itself", () => {
  const staging = stackJson(withStaging, "staging");
  expect(staging.terraform.backend.s3.key).toBe("smh-dashboard/staging/terraform.tfstate");
  expect(staging.resource.aws_s3_bucket.storage_data.bucket).toBe("smh-dashboard-staging-data-us-east-1-123456789012");
  expect(staging.resource.aws_db_instance.database.identifier).toBe("smh-dashboard-staging-db");
});

test.each(["dev", "prod", "state", "baseline"])("adding staging changes nothing in %s", (name) => {
  expect(stackJson(withStaging, name)).toEqual(stackJson(committed, name));
});

test("staging passes offline terraform validate and plan", () => {
  const setup = setupTerraform();
  const stack = withStaging.find((s) => s.name === "staging")!;
  const dir = prepareWorkDir("staging", stack.file, true);
  initOffline(setup, dir);
  const validate = JSON.parse(terraform(setup, dir, ["validate", "-json"]).stdout);
  expect(validate.valid).toBe(true);
  const changes = plannedChanges(planJson(setup, dir)).filter((c) => !c.address.startsWith("data."));
  expect(changes.length).toBeGreaterThan(90);
  expect(changes.filter((c) => c.actions.join() !== "create")).toEqual([]);
  expect(changes.map((c) => c.address)).toContain("aws_db_instance.database");
});

describe("dev, prod and the state in three accounts (the documented multi-account example)", () => {
  const multiAccount = synthesize({
    outdir: path.join(scratch, "multi-account"),
    settings: projectSettings({ ...process.env, DEPLOYMENT_SETTINGS: path.join(__dirname, "fixtures", "multi-account.json") }),
  }).stacks;

  test.each(multiAccount.map((s) => [s.name, s] as const))(
    "%s passes offline terraform plan (which validates it first), creating every resource and destroying nothing",
    (name, stack) => {
      const setup = setupTerraform();
      const dir = prepareWorkDir(name, stack.file, stack.isEnvironment, path.join(WORK_ROOT, "multi-account"));
      initOffline(setup, dir);
      const changes = plannedChanges(planJson(setup, dir)).filter((c) => !c.address.startsWith("data."));
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.filter((c) => c.actions.join() !== "create")).toEqual([]);
    },
  );
});
