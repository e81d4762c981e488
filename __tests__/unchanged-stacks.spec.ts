/**
 * The change review reports a stack whose configuration is the same in the base and the working
 * tree as unchanged without starting Terraform (tools/lib/review/command.ts): "the same" is equal
 * after cdktf's metadata only, so a change of backend, provider or output is still planned.
 */
import { resourceCount, sameDeployment, withoutMetadata } from "../tools/lib/review/configuration";
import { unchangedReview } from "../tools/lib/review/review";

const stack = () => ({
  "//": { metadata: { backend: "s3", stackName: "prod", version: "0.21.0" } },
  terraform: { backend: { s3: { bucket: "state", key: "smh-dashboard/prod/terraform.tfstate", region: "us-west-2" } } },
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_s3_bucket: {
      storage_data: { "//": { metadata: { path: "prod/storage/data/Resource", uniqueId: "storage_data" } }, bucket: "data", tags: { Name: "data" } },
    },
    aws_kms_key: { keys_data: { description: "data" } },
  },
  output: { data_bucket_name: { value: "${aws_s3_bucket.storage_data.bucket}" } },
});

type Stack = ReturnType<typeof stack>;
const changed = (edit: (s: Stack) => void) => {
  const s = stack();
  edit(s);
  return s;
};

describe("which stacks the change review plans", () => {
  test("GIVEN two syntheses that differ only in cdktf's metadata THEN the stack is unchanged", () => {
    const head = changed((s) => {
      s["//"].metadata.version = "0.21.1";
      s.resource.aws_s3_bucket.storage_data["//"].metadata.path = "prod/renamed/Resource";
    });
    expect(sameDeployment(stack(), head)).toBe(true);
    expect(JSON.stringify(withoutMetadata(head))).not.toContain("//");
  });

  test.each([
    ["a resource's argument", (s: Stack) => (s.resource.aws_s3_bucket.storage_data.tags.Name = "data2")],
    ["the backend's state key", (s: Stack) => (s.terraform.backend.s3.key = "other/terraform.tfstate")],
    ["the provider's region", (s: Stack) => (s.provider.aws[0].region = "us-east-2")],
    ["an output", (s: Stack) => (s.output.data_bucket_name.value = "${aws_s3_bucket.storage_data.arn}")],
    ["a resource removed", (s: Stack) => delete (s.resource as Record<string, unknown>).aws_kms_key],
  ])("GIVEN %s changed THEN the stack is planned", (_what, edit) => {
    expect(sameDeployment(stack(), changed(edit))).toBe(false);
  });

  test("GIVEN an unchanged stack THEN its review counts every resource as a no-op, with no change and no flag", () => {
    const review = unchangedReview("prod", stack());
    expect(resourceCount(stack())).toBe(2);
    expect(review).toEqual({
      status: "unchanged",
      change: { stack: "prod", counts: { create: 0, update: 0, replace: 0, destroy: 0, move: 0, "no-op": 2 }, changes: [], flags: [], unverifiable: [] },
    });
  });
});
