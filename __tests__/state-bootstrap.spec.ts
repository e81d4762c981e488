import { spawnSync } from "child_process";
import * as path from "path";
import { Testing } from "cdktf";
import { BOOTSTRAP_STATE_BACKEND_PATH, BOOTSTRAP_STATE_FILE, BUILD_DIR, PROJECT_ROOT, readCdktfJson } from "../src/validation/deployment";
import { StateBootstrapStack } from "../src/stacks/state-bootstrap-stack";
import { ARN, policyDocument, resource, type TerraformJson } from "./helpers";

describe("StateBootstrapStack", () => {
  const app = Testing.app();
  const stack = new StateBootstrapStack(app, "state", {
    project: "smh-dashboard",
    accountId: "123456789012",
    stateRegion: "us-west-2",
    tags: { Project: "smh-dashboard" },
  });
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;

  test("keeps its own state locally, at a path relative to where cdktf runs Terraform, and works in the DR region", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../bootstrap-state/terraform.state.tfstate" } });
    expect(json.provider.aws).toEqual([expect.objectContaining({ region: "us-west-2", allowed_account_ids: ["123456789012"] })]);
  });

  test("its own state lives in the project outside the build folder, in a file git ignores, whichever directory the project is in", () => {
    // cdktf runs the stack's Terraform in cdktf.out/stacks/state: cdktf.json moves no output elsewhere.
    expect(readCdktfJson().output).toBeUndefined();
    expect(path.resolve(PROJECT_ROOT, BUILD_DIR, "stacks", "state", BOOTSTRAP_STATE_BACKEND_PATH)).toBe(path.join(PROJECT_ROOT, BOOTSTRAP_STATE_FILE));
    expect(path.relative(path.join(PROJECT_ROOT, BUILD_DIR), path.join(PROJECT_ROOT, BOOTSTRAP_STATE_FILE))).toMatch(/^\.\.\//);
    const ignored = spawnSync("git", ["check-ignore", "-q", BOOTSTRAP_STATE_FILE], { cwd: PROJECT_ROOT });
    expect(ignored.status).toBe(0);
  });

  test("GIVEN a state path inside the build folder WHEN the stack is built THEN it is refused: Terraform would keep it where a synthesis may clean it", () => {
    expect(
      () =>
        new StateBootstrapStack(Testing.app(), "state", {
          project: "p-x",
          accountId: "123456789012",
          stateRegion: "us-west-2",
          tags: {},
          localStatePath: "terraform.state.tfstate",
        }),
    ).toThrow(
      'localStatePath "terraform.state.tfstate" is inside the build folder, where Terraform would keep the state (it runs in cdktf.out/stacks/state) and a synthesis may clean it. ' +
        'Fix: a path outside cdktf.out, relative to cdktf.out/stacks/state (as "../../../bootstrap-state/terraform.state.tfstate") so that the output is the same in every checkout.',
    );
  });

  const withStatePath = (localStatePath: string) =>
    new StateBootstrapStack(Testing.app(), "state", { project: "p-x", accountId: "123456789012", stateRegion: "us-west-2", tags: {}, localStatePath });

  test("GIVEN a relative path that leaves the build folder only part way (cdktf.out/x) WHEN the stack is built THEN it is refused", () => {
    expect(() => withStatePath("../../x.tfstate")).toThrow(/localStatePath "..\/..\/x.tfstate" is inside the build folder/);
  });

  test("GIVEN a relative path out of the build folder WHEN the stack is built THEN the backend keeps it as given", () => {
    const stack = withStatePath("../../../../elsewhere/x.tfstate");
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({ local: { path: "../../../../elsewhere/x.tfstate" } });
  });

  test("the state bucket is named for the DR region and account, and can never be destroyed by Terraform", () => {
    expect(resource(json, "aws_s3_bucket", "state")).toMatchObject({
      bucket: "smh-dashboard-tfstate-us-west-2-123456789012",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("versioned, encrypted, with all public access blocked and ACLs disabled", () => {
    expect(resource(json, "aws_s3_bucket_versioning", "state_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(resource(json, "aws_s3_bucket_server_side_encryption_configuration", "state_encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(resource(json, "aws_s3_bucket_public_access_block", "state_public_access")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(json, "aws_s3_bucket_ownership_controls", "state_ownership").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("the bucket policy denies every request made without TLS", () => {
    expect(policyDocument(json, "state_policy_document").statement[0]).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  test("every request to the state bucket is logged, into a bucket of its own beside it that keeps the logs a year", () => {
    expect(resource(json, "aws_s3_bucket_logging", "state_access_logs")).toMatchObject({
      bucket: "${aws_s3_bucket.state.id}",
      target_bucket: "${aws_s3_bucket.access_logs.id}",
      target_prefix: "state/",
    });
    expect(resource(json, "aws_s3_bucket", "access_logs")).toMatchObject({ bucket: "smh-dashboard-tfstate-logs-us-west-2-123456789012", force_destroy: false });
    expect(policyDocument(json, "access_logs_policy_document").statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          effect: "Allow",
          actions: ["s3:PutObject"],
          principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
          resources: [`${ARN}:s3:::smh-dashboard-tfstate-logs-us-west-2-123456789012/state/*`],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
        }),
      ]),
    );
    const rules = resource(json, "aws_s3_bucket_lifecycle_configuration", "access_logs_lifecycle").rule as any[];
    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ id: "access-log-retention", expiration: [{ days: 365 }] })]));
  });

  test("old state versions expire after a year, abandoned uploads after a week", () => {
    const rules = resource(json, "aws_s3_bucket_lifecycle_configuration", "state_lifecycle").rule as any[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 365 }] }),
        expect.objectContaining({ status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      ]),
    );
  });
});
