/**
 * A stack whose settings name a deployRoleArn, with real Terraform, offline: as the pipeline runs
 * it (deploy_role_arn "", the backend's assume_role dropped at init) Terraform reaches AWS with the
 * pipeline's own credentials; as a person runs it (the defaults) it first assumes the deploy role.
 * Offline, the first call to AWS fails, and its error names which call that was. One small stack
 * of the multi-account example, ci-<dev's account>; accounts.spec checks the JSON of every stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PIPELINE_INIT_ARGS } from "../backend";
import { projectSettings, synthesize } from "../src/synth/synthesize";
import {
  DEPLOY_ROLE_ENV,
  initOffline,
  OFFLINE_PLAN_ARGS,
  planJson,
  plannedChanges,
  prepareWorkDir,
  setupTerraform,
  terraform,
  type TerraformResult,
  WORK_ROOT,
} from "../tools/lib/terraform/harness";

jest.setTimeout(300_000);

const DEV = "111111111111";
const STACK = `ci-${DEV}`;
const DEV_ROLE = `arn:aws:iam::${DEV}:role/terraform-deploy`;
const STATE_BUCKET = "smh-dashboard-tfstate-us-west-2-333333333333";

const setup = setupTerraform();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-role-"));
const multiAccount = synthesize({
  outdir: path.join(scratch, "multi-account"),
  settings: projectSettings({ ...process.env, DEPLOYMENT_SETTINGS: path.join(__dirname, "fixtures", "multi-account.json") }),
  stacks: [STACK, "state"],
}).stacks;
const committed = synthesize({ outdir: path.join(scratch, "committed"), settings: projectSettings(), stacks: ["ci"] }).stacks;
const fileOf = (stacks: typeof committed, name: string) => stacks.find((s) => s.name === name)!.file;

describe(`GIVEN ${STACK} of the multi-account example, whose providers assume dev's deploy role through deploy_role_arn`, () => {
  const dir = prepareWorkDir(STACK, fileOf(multiAccount, STACK), false, path.join(WORK_ROOT, "deploy-role"));
  beforeAll(() => initOffline(setup, dir));

  test('WHEN planned offline with deploy_role_arn "", as the pipeline sets it THEN it plans with the configuration as synthesized, assume_role blocks included', () => {
    expect(setup.env[DEPLOY_ROLE_ENV]).toBe("");
    const planned = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    expect(planned).toEqual(JSON.parse(fs.readFileSync(fileOf(multiAccount, STACK), "utf8")));
    expect(planned.provider.aws[0].dynamic.assume_role).toBeDefined();
    const roles = plannedChanges(planJson(setup, dir)).filter((c) => c.type === "aws_iam_role");
    expect(roles.map((c) => [c.address, c.actions.join()])).toContainEqual(["aws_iam_role.dev_deployer", "create"]);
  });

  test("WHEN planned with deploy_role_arn at its default, as a person deploys THEN the provider first assumes dev's deploy role: offline, STS AssumeRole fails", () => {
    const { [DEPLOY_ROLE_ENV]: _pipeline, ...person } = setup.env;
    const result = terraform({ ...setup, env: person }, dir, ["plan", ...OFFLINE_PLAN_ARGS]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`IAM Role (${DEV_ROLE}) cannot be assumed`);
    expect(result.stderr).toContain("STS: AssumeRole");
  });
});

describe(`the S3 backend, initialized with the pipeline's ${PIPELINE_INIT_ARGS}`, () => {
  /**
   * `terraform init` of a stack as synthesized (its own backend, no offline override), with dummy
   * credentials and TF_CLI_ARGS_init = `initArgs`. The S3 backend's credential and account checks
   * (sts:GetCallerIdentity, which any identity may call) are skipped, so that offline the error
   * names the first call that needs the role or the bucket.
   */
  function initAsSynthesized(name: string, stackFile: string, initArgs: readonly string[]): TerraformResult {
    const dir = path.join(scratch, "init", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(stackFile, path.join(dir, "cdk.tf.json"));
    const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, ...env } = setup.env;
    return terraform(
      {
        ...setup,
        env: {
          ...env,
          AWS_ACCESS_KEY_ID: "offline-check",
          AWS_SECRET_ACCESS_KEY: "offline-check",
          AWS_EC2_METADATA_DISABLED: "true",
          TF_CLI_ARGS_init: initArgs.join(" "),
        },
      },
      dir,
      ["init", "-input=false"],
    );
  }
  const offlineChecks = ["-backend-config=skip_credentials_validation=true", "-backend-config=skip_requesting_account_id=true"];

  test(`GIVEN ${STACK}'s backend, which assumes dev's deploy role, WHEN initialized as a person does THEN it first assumes the role: STS AssumeRole`, () => {
    const result = initAsSynthesized("person", fileOf(multiAccount, STACK), offlineChecks);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("STS: AssumeRole");
  });

  test(`GIVEN ${STACK}'s backend WHEN initialized as the pipeline does THEN it assumes no role: its first call is S3's, listing the state account's bucket`, () => {
    const result = initAsSynthesized("pipeline", fileOf(multiAccount, STACK), [PIPELINE_INIT_ARGS, ...offlineChecks]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`Unable to list objects in S3 bucket "${STATE_BUCKET}"`);
    expect(result.stderr).toContain("S3: ListObjectsV2");
    expect(result.stderr).not.toContain("STS");
  });

  test("GIVEN the committed ci stack, whose backend assumes no role, WHEN initialized as the pipeline does THEN the argument is harmless: the same first call to S3, no configuration error", () => {
    const result = initAsSynthesized("committed", fileOf(committed, "ci"), [PIPELINE_INIT_ARGS, ...offlineChecks]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("S3: ListObjectsV2");
    expect(result.stderr).not.toMatch(/STS|Invalid backend configuration/);
  });

  test("GIVEN the state stack, whose backend is local, WHEN initialized with the pipeline's argument THEN Terraform refuses it: the pipeline never runs that stack (workflow.spec)", () => {
    const result = initAsSynthesized("state", fileOf(multiAccount, "state"), [PIPELINE_INIT_ARGS]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The backend configuration argument "assume_role" given on the command line is\nnot expected for the selected backend type.',
    );
  });
});
