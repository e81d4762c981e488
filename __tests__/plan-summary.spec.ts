import { countsByType, planWarnings, summarizePlan, type PlanJson } from "../tools/lib/ops/plan-summary";

/** A small plan in the shape of `terraform show -json`. */
const plan: PlanJson = {
  resource_changes: [
    { address: "data.aws_iam_policy_document.x", mode: "data", type: "aws_iam_policy_document", change: { actions: ["read"], after: {} } },
    { address: "aws_vpc.network_vpc", mode: "managed", type: "aws_vpc", change: { actions: ["create"], after: { cidr_block: "10.0.0.0/16" } } },
    { address: "aws_s3_bucket.open", mode: "managed", type: "aws_s3_bucket", change: { actions: ["create"], after: { force_destroy: false } } },
    { address: "aws_s3_bucket.closed", mode: "managed", type: "aws_s3_bucket", change: { actions: ["create"], after: { force_destroy: false } } },
    {
      address: "aws_s3_bucket_server_side_encryption_configuration.closed",
      mode: "managed",
      type: "aws_s3_bucket_server_side_encryption_configuration",
      change: { actions: ["create"], after: { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }] } },
    },
    {
      address: "aws_vpc_security_group_ingress_rule.ssh",
      mode: "managed",
      type: "aws_vpc_security_group_ingress_rule",
      change: { actions: ["create"], after: { cidr_ipv4: "0.0.0.0/0", from_port: 22 } },
    },
    { address: "aws_lb.alb", mode: "managed", type: "aws_lb", change: { actions: ["update"], after: { internal: false } } },
  ],
  configuration: {
    root_module: {
      resources: [
        {
          address: "aws_s3_bucket_server_side_encryption_configuration.closed",
          expressions: { bucket: { references: ["aws_s3_bucket.closed.id", "aws_s3_bucket.closed"] } },
        },
      ],
    },
  },
};

describe("plan summary", () => {
  test("counts planned actions by type, leaving out data sources", () => {
    expect(countsByType(plan)).toEqual({
      aws_vpc: { create: 1 },
      aws_s3_bucket: { create: 2 },
      aws_s3_bucket_server_side_encryption_configuration: { create: 1 },
      aws_vpc_security_group_ingress_rule: { create: 1 },
      aws_lb: { update: 1 },
    });
  });

  test("warns about anything public or unencrypted, and only that", () => {
    expect(planWarnings(plan)).toEqual([
      "public: aws_lb.alb is internet-facing",
      "public: aws_vpc_security_group_ingress_rule.ssh admits port 22 from anywhere",
      "unencrypted: aws_s3_bucket.open has no server-side encryption configuration",
    ]);
  });

  test("the Markdown names the totals, the key settings and the warnings", () => {
    const summary = summarizePlan("test", plan);
    expect(summary).toContain("Resources: 5 to create, 1 to update.");
    expect(summary).toContain("| aws_vpc.network_vpc | 10.0.0.0/16 |  |");
    expect(summary).toContain("| aws_s3_bucket.closed | SSE AES256 |");
    expect(summary).toContain("- unencrypted: aws_s3_bucket.open has no server-side encryption configuration");
  });
});
