/**
 * The change review's flag rules and gate, on hand-made plan entries: each rule with a case that
 * raises it and one that does not. The scenarios through real Terraform are in change-review.spec.
 */
import { gate } from "../tools/review/acknowledgements";
import { type Flag, grantsOf, reviewChange } from "../tools/review/change-report";
import type { ResourceChange } from "../tools/review/deployed";

function change(type: string, actions: string[], before: object | null, after: object | null, extra: Partial<ResourceChange["change"]> = {}): ResourceChange {
  return {
    address: `${type}.example`,
    mode: "managed",
    type,
    name: "example",
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}

const flags = (...changes: ResourceChange[]): Flag[] => reviewChange("dev", { resource_changes: changes }).flags;
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("data at risk", () => {
  test("a replaced bucket is flagged with the attribute that forces it", () => {
    const replaced = change("aws_s3_bucket", ["delete", "create"], { bucket: "a" }, { bucket: "b" }, { replace_paths: [["bucket"]] });
    expect(flags(replaced)).toEqual([expect.objectContaining({ kind: "data at risk", attribute: "bucket" })]);
  });

  test("a replaced security group holds no data and is not flagged as data at risk", () => {
    const replaced = change("aws_security_group", ["delete", "create"], { name: "a" }, { name: "b" }, { replace_paths: [["name"]] });
    expect(flags(replaced).filter((f) => f.kind === "data at risk")).toEqual([]);
  });

  test("turning deletion protection off is flagged; turning it on is not", () => {
    expect(flags(change("aws_db_instance", ["update"], { deletion_protection: true }, { deletion_protection: false }))).toEqual([
      expect.objectContaining({ kind: "data at risk", attribute: "deletion_protection" }),
    ]);
    expect(flags(change("aws_db_instance", ["update"], { deletion_protection: false }, { deletion_protection: true }))).toEqual([]);
  });

  test("shortening log retention is flagged; lengthening it is not", () => {
    expect(flags(change("aws_cloudwatch_log_group", ["update"], { retention_in_days: 365 }, { retention_in_days: 30 }))).toEqual([
      expect.objectContaining({ kind: "data at risk", attribute: "retention_in_days", detail: expect.stringContaining("365 to 30") }),
    ]);
    expect(flags(change("aws_cloudwatch_log_group", ["update"], { retention_in_days: 30 }, { retention_in_days: 365 }))).toEqual([]);
  });
});

describe("exposure", () => {
  test("an IAM statement that adds an action is flagged with the action and resource", () => {
    const before = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
    const after = policy({ Effect: "Allow", Action: ["s3:GetObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::b/*" });
    expect(flags(change("aws_iam_role_policy", ["update"], { policy: before }, { policy: after }))).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "policy", detail: "allows s3:DeleteObject on arn:aws:s3:::b/*" }),
    ]);
  });

  test("a new policy with many grants is one flag that counts them, instead of a line per pair", () => {
    const actions = Array.from({ length: 20 }, (_, i) => `ec2:CreateThing${i}`);
    const found = flags(change("aws_iam_role_policy", ["create"], null, { policy: policy({ Effect: "Allow", Action: actions, Resource: "arn:aws:ec2:us-east-1:1:*" }) }));
    expect(found).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "policy", detail: expect.stringMatching(/^20 new grants, e.g. allows ec2:CreateThing0 on arn:aws:ec2:us-east-1:1:\*; .*: read the policy in the plan$/) }),
    ]);
  });

  test("an IAM statement that narrows is not flagged", () => {
    const before = policy({ Effect: "Allow", Action: ["s3:GetObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::b/*" });
    const after = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
    expect(flags(change("aws_iam_role_policy", ["update"], { policy: before }, { policy: after }))).toEqual([]);
  });

  test("a bucket policy that drops a Deny is flagged", () => {
    const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b", Condition: { Bool: { "aws:SecureTransport": "false" } } };
    expect(flags(change("aws_s3_bucket_policy", ["update"], { policy: policy(deny) }, { policy: policy() }))).toEqual([
      expect.objectContaining({ kind: "exposure", detail: expect.stringContaining("no longer denies s3:* on arn:aws:s3:::b") }),
    ]);
  });

  test("a public access block that stops blocking public policies is flagged", () => {
    const block = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    expect(flags(change("aws_s3_bucket_public_access_block", ["update"], block, { ...block, block_public_policy: false }))).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "block_public_policy" }),
    ]);
  });

  test("removing a log group's KMS key is flagged as encryption removed; changing the key is not", () => {
    expect(flags(change("aws_cloudwatch_log_group", ["update"], { kms_key_id: "arn:aws:kms:us-east-1:1:key/a" }, { kms_key_id: null }))).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "kms_key_id", detail: "encryption is removed" }),
    ]);
    expect(
      flags(change("aws_cloudwatch_log_group", ["update"], { kms_key_id: "arn:aws:kms:us-east-1:1:key/a" }, { kms_key_id: "arn:aws:kms:us-east-1:1:key/b" })),
    ).toEqual([]);
  });

  test("an ingress rule from another security group is flagged as a new path, not as the internet", () => {
    const rule = { from_port: 5432, to_port: 5432, ip_protocol: "tcp", referenced_security_group_id: "sg-1" };
    const [flag] = flags(change("aws_vpc_security_group_ingress_rule", ["create"], null, rule));
    expect(flag).toMatchObject({ kind: "exposure", detail: "ingress port 5432 (tcp) from sg-1" });
  });

  test("a load balancer that becomes internet-facing is flagged; one that becomes internal is not", () => {
    expect(flags(change("aws_lb", ["update"], { internal: true }, { internal: false }))).toEqual([expect.objectContaining({ kind: "exposure", attribute: "internal" })]);
    expect(flags(change("aws_lb", ["update"], { internal: false }, { internal: true }))).toEqual([]);
  });
});

describe("availability", () => {
  test("a new task definition on the service is a rolling restart", () => {
    const update = change("aws_ecs_service", ["update"], { task_definition: "arn:1", desired_count: 2 }, { task_definition: null, desired_count: 2 }, { after_unknown: { task_definition: true } });
    expect(flags(update)).toEqual([expect.objectContaining({ kind: "availability", attribute: "task_definition" })]);
  });

  test("fewer desired tasks is flagged; more is not", () => {
    expect(flags(change("aws_ecs_service", ["update"], { desired_count: 2 }, { desired_count: 1 }))).toEqual([
      expect.objectContaining({ kind: "availability", attribute: "desired_count" }),
    ]);
    expect(flags(change("aws_ecs_service", ["update"], { desired_count: 1 }, { desired_count: 2 }))).toEqual([]);
  });

  test("a replaced listener is flagged", () => {
    const replaced = change("aws_lb_listener", ["create", "delete"], { port: 80 }, { port: 81 }, { replace_paths: [["port"]] });
    expect(flags(replaced)).toEqual([expect.objectContaining({ kind: "availability", attribute: "port" })]);
  });
});

describe("policy documents", () => {
  test("each action, resource and principal of a statement is one grant", () => {
    const doc = policy({ Effect: "Allow", Action: ["a:One", "a:Two"], Resource: ["r1", "r2"], Principal: { AWS: "arn:aws:iam::1:root" } });
    expect(grantsOf(doc)).toHaveLength(4);
    expect(grantsOf(doc)[0]).toEqual({ effect: "Allow", action: "a:One", resource: "r1", principal: "AWS:arn:aws:iam::1:root" });
  });
});

describe("gate", () => {
  const atRisk = { kind: "data at risk" as const, stack: "prod", address: "aws_s3_bucket.storage_data", attribute: "(resource)", detail: "destroyed" };

  test("an unacknowledged data-at-risk flag blocks", () => {
    expect(gate([atRisk], []).blocking).toEqual([atRisk]);
  });

  test("an acknowledgement naming the stack and address lets it pass, with its reason", () => {
    const verdict = gate([atRisk], [{ stack: "prod", address: "aws_s3_bucket.storage_data", reason: "data moved to the new bucket by the migration job" }]);
    expect(verdict.blocking).toEqual([]);
    expect(verdict.acknowledged).toEqual([expect.objectContaining({ address: "aws_s3_bucket.storage_data", reason: expect.stringContaining("migration") })]);
  });

  test("an acknowledgement for another stack does not, and is reported as unused", () => {
    const verdict = gate([atRisk], [{ stack: "dev", address: "aws_s3_bucket.storage_data", reason: "dev data is synthetic and can be dropped" }]);
    expect(verdict.blocking).toEqual([atRisk]);
    expect(verdict.unused).toHaveLength(1);
  });

  test("exposure and availability flags never block", () => {
    expect(gate([{ ...atRisk, kind: "exposure" }, { ...atRisk, kind: "availability" }], []).blocking).toEqual([]);
  });
});
