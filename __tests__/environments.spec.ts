/**
 * Environments are data: a third environment committed as environments/<name>.json gets its own
 * stack, state key and names and the pipeline's roles, passes offline terraform validate and plan,
 * and changes nothing in the others; the multi-account example (an account per environment, the
 * state in a third) plans offline and passes its `terraform test` files, every stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  planJson,
  plannedChanges,
  prepareWorkDir,
  setupTerraform,
  terraform,
  initOffline,
  tftestFiles,
  WORK_ROOT,
  writeOfflineConfiguration,
} from "../tools/lib/terraform/harness";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings, type SynthesizedStack } from "../src/synth/synthesize";
import { loadSettings, PROJECT_ROOT, resolveDeployment } from "../src/validation/deployment";
import { type DocumentStatement, policyJson } from "../src/aws/policy-size";
import { sharedBucketPolicies } from "../src/validation/rules/bucket-policies";

jest.setTimeout(300_000);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "environments-"));
// The project's committed settings with staging added as a file of environments/, in a copy.
const project = path.join(scratch, "project");
fs.mkdirSync(project);
fs.copyFileSync(path.join(PROJECT_ROOT, "cdktf.json"), path.join(project, "cdktf.json"));
fs.cpSync(path.join(PROJECT_ROOT, "environments"), path.join(project, "environments"), { recursive: true });
fs.writeFileSync(path.join(project, "environments", "staging.json"), JSON.stringify({ preset: "dev", database: { enabled: true } }));

const committed = cachedSynthesis({ outdir: path.join(scratch, "committed"), settings: projectSettings() }).stacks;
const withStaging = cachedSynthesis({ outdir: path.join(scratch, "with-staging"), settings: loadSettings({}, project) }).stacks;
const stackJson = (stacks: SynthesizedStack[], name: string) => {
  const stack = stacks.find((s) => s.name === name);
  if (!stack) throw new Error(`no stack ${name}; there are ${stacks.map((s) => s.name).join(", ")}`);
  return JSON.parse(fs.readFileSync(stack.file, "utf8"));
};

test("environments/staging.json adds a staging stack beside the others", () => {
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
  const settings = projectSettings({ ...process.env, DEPLOYMENT_SETTINGS: path.join(__dirname, "fixtures", "multi-account.json") });
  const multiAccount = cachedSynthesis({ outdir: path.join(scratch, "multi-account"), settings }).stacks;

  test("every stack of the example has terraform test files: its own folder's, its kind's (baseline/, ci/ for every account's), an environment's", () => {
    expect(multiAccount.filter((s) => tftestFiles(s.name, s.isEnvironment).length === 0).map((s) => s.name)).toEqual([]);
  });

  test("the state stack's bucket policies, rendered by the AWS provider, are the size the settings validation measures (src/validation/rules/bucket-policies.ts)", () => {
    // GIVEN the synthesized policy documents with the values Terraform fills in at apply (the partition, each bucket's ARN)
    const setup = setupTerraform();
    const state = stackJson(multiAccount, "state");
    const policies = sharedBucketPolicies(resolveDeployment(settings));
    const documents = {
      state: ["state_policy_document", "aws_s3_bucket.state", policies.state],
      audit: ["audit_logs_policy_document", "aws_s3_bucket.audit_logs", policies.audit!],
    } as const;
    const filledIn = ([document, bucketAddress, policy]: (typeof documents)[keyof typeof documents]) =>
      JSON.parse(
        JSON.stringify(state.data.aws_iam_policy_document[document])
          .replaceAll("${data.aws_partition.partition.partition}", "aws")
          .replaceAll(`\${${bucketAddress}.arn}`, `arn:aws:s3:::${policy.bucket}`),
      );
    const dir = path.join(WORK_ROOT, "multi-account", "bucket-policies");
    writeOfflineConfiguration(dir, {
      terraform: { required_providers: state.terraform.required_providers },
      provider: { aws: [{ region: "us-west-2" }] },
      data: { aws_iam_policy_document: { state: filledIn(documents.state), audit: filledIn(documents.audit) } },
    });
    // WHEN the provider renders them (read while planning: every value is known)
    initOffline(setup, dir);
    const read = planJson(setup, dir).prior_state?.values?.root_module?.resources ?? [];
    const rendered = (name: string) => read.find((r) => r.address === `data.aws_iam_policy_document.${name}`)!.values.minified_json as string;
    // THEN each policy's JSON without white space is as long as measured, and says the same, whatever the order of its lists
    const sorted = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sorted).sort()
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sorted(v)]))
          : value;
    for (const [name, [, , policy]] of Object.entries(documents)) {
      expect({ name, size: rendered(name).length }).toEqual({ name, size: policy.size });
      expect(sorted(JSON.parse(rendered(name)))).toEqual(sorted(JSON.parse(policyJson(policy.statements as readonly DocumentStatement[]))));
    }
  });

  describe.each(multiAccount.map((s) => [s.name, s] as const))("%s", (name, stack) => {
    let dir: string;

    beforeAll(() => {
      dir = prepareWorkDir(name, stack.file, stack.isEnvironment, path.join(WORK_ROOT, "multi-account"));
      initOffline(setupTerraform(), dir);
    });

    test("passes offline terraform plan (which validates it first), creating every resource and destroying nothing", () => {
      const changes = plannedChanges(planJson(setupTerraform(), dir)).filter((c) => !c.address.startsWith("data."));
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.filter((c) => c.actions.join() !== "create")).toEqual([]);
    });

    test("passes terraform test, in the working directory the plan used", () => {
      const result = terraform(setupTerraform(), dir, ["test"]);
      expect(`${result.stdout}${result.stderr}`).toMatch(/Success! [1-9]\d* passed, 0 failed/);
      expect(result.code).toBe(0);
    });
  });
});
