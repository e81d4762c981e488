/**
 * The change review's flag rules and gate, on hand-made plan entries: each rule with a case that
 * raises it and one that does not. The scenarios through real Terraform are in change-review.spec.
 */
import { accepts, gate, readAcknowledgements, type StackFlag } from "../tools/lib/review/acknowledgements";
import { type Flag, renderStackChange, type ReviewContext, reviewChange } from "../tools/lib/review/change-report";
import { stackLines, verdictLines } from "../tools/lib/review/review";
import type { ResourceChange } from "../tools/lib/terraform/plan-json";
import { planEntry } from "./plan-entries";
import { grantsOf, RULES, rulesTable } from "../tools/lib/review/rules";
import { synthesizeTree, warningLines } from "../tools/lib/review/sides";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const change = planEntry;

const flags = (...changes: ResourceChange[]): Flag[] => reviewChange("dev", { resource_changes: changes }).flags;
const flagsIn = (context: ReviewContext, ...changes: ResourceChange[]): Flag[] => reviewChange("dev", { resource_changes: changes }, undefined, context).flags;
const rulesOf = (found: Flag[]) => found.map((f) => `${f.kind} ${f.rule}`);
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const update = (type: string, before: object, after: object, extra: Partial<ResourceChange["change"]> = {}, name = "example") =>
  change(type, ["update"], before, after, extra, name);
const noop = (type: string, values: object, name = "example") => change(type, ["no-op"], values, values, {}, name);
/** The VPC `network` replaced for a new range, as a change of vpcCidr plans it. */
const replacedVpc = () =>
  change("aws_vpc", ["delete", "create"], { cidr_block: "10.0.0.0/16" }, { cidr_block: "10.2.0.0/16" }, { replace_paths: [["cidr_block"]] }, "network");

describe("data at risk", () => {
  test("a replaced bucket is flagged with the attribute that forces it and its value before and after", () => {
    const replaced = change("aws_s3_bucket", ["delete", "create"], { bucket: "a" }, { bucket: "b" }, { replace_paths: [["bucket"]] });
    expect(flags(replaced)).toEqual([expect.objectContaining({ kind: "data at risk", rule: "data-replaced", attribute: "bucket", from: "a", to: "b" })]);
  });

  test("a replaced security group holds no data and is not flagged as data at risk", () => {
    const replaced = change("aws_security_group", ["delete", "create"], { name: "a" }, { name: "b" }, { replace_paths: [["name"]] });
    expect(flags(replaced).filter((f) => f.kind === "data at risk")).toEqual([]);
  });

  test("a destroyed database while an Aurora cluster is created says that no data moves between the engines", () => {
    const [flag] = flags(
      change("aws_db_instance", ["delete"], { identifier: "db" }, null),
      change("aws_rds_cluster", ["create"], null, { cluster_identifier: "db" }, {}, "aurora"),
    );
    expect(flag).toMatchObject({
      rule: "data-destroyed",
      detail: expect.stringContaining("aws_rds_cluster.aurora is created in the same change, empty: Terraform copies no data"),
    });
  });

  test("a destroyed database alone names no engine move", () => {
    expect(flags(change("aws_db_instance", ["delete"], { identifier: "db" }, null))[0].detail).not.toContain("engine");
  });

  test("turning deletion protection off is flagged on databases and Aurora clusters; turning it on is not", () => {
    for (const type of ["aws_db_instance", "aws_rds_cluster"]) {
      expect(rulesOf(flags(update(type, { deletion_protection: true }, { deletion_protection: false })))).toEqual(["data at risk deletion-protection-off"]);
      expect(flags(update(type, { deletion_protection: false }, { deletion_protection: true }))).toEqual([]);
    }
  });

  test("ECR force_delete turned on is flagged: a destroy would delete every image", () => {
    expect(flags(update("aws_ecr_repository", { force_delete: false }, { force_delete: true }))).toEqual([
      expect.objectContaining({ rule: "force-delete-on", detail: expect.stringContaining("every image") }),
    ]);
    expect(flags(update("aws_ecr_repository", { force_delete: true }, { force_delete: false }))).toEqual([]);
  });

  test("an ElastiCache group that loses its final snapshot name is flagged; one that keeps it is not", () => {
    expect(rulesOf(flags(update("aws_elasticache_replication_group", { final_snapshot_identifier: "last" }, { final_snapshot_identifier: null })))).toEqual([
      "data at risk final-snapshot-off",
    ]);
    expect(flags(update("aws_elasticache_replication_group", { final_snapshot_identifier: "last" }, { final_snapshot_identifier: "last" }))).toEqual([]);
  });

  test("shortening log retention is flagged; lengthening it is not", () => {
    expect(flags(update("aws_cloudwatch_log_group", { retention_in_days: 365 }, { retention_in_days: 30 }))).toEqual([
      expect.objectContaining({
        kind: "data at risk",
        attribute: "retention_in_days",
        from: 365,
        to: 30,
        detail: expect.stringContaining("365 days to 30 days"),
      }),
    ]);
    expect(flags(update("aws_cloudwatch_log_group", { retention_in_days: 30 }, { retention_in_days: 365 }))).toEqual([]);
  });

  test("a log group that kept its events forever and now keeps them 90 days is flagged", () => {
    expect(flags(update("aws_cloudwatch_log_group", { retention_in_days: 0 }, { retention_in_days: 90 }))).toEqual([
      expect.objectContaining({ rule: "log-retention-shortened", detail: expect.stringContaining("never expire to 90 days") }),
    ]);
  });

  test("backup retention shortened on RDS, Aurora and ElastiCache is flagged, by each type's attribute", () => {
    expect(rulesOf(flags(update("aws_db_instance", { backup_retention_period: 7 }, { backup_retention_period: 1 })))).toEqual([
      "data at risk backup-retention-shortened",
    ]);
    expect(rulesOf(flags(update("aws_rds_cluster", { backup_retention_period: 14 }, { backup_retention_period: 7 })))).toEqual([
      "data at risk backup-retention-shortened",
    ]);
    expect(flags(update("aws_elasticache_replication_group", { snapshot_retention_limit: 5 }, { snapshot_retention_limit: 1 }))).toEqual([
      expect.objectContaining({ attribute: "snapshot_retention_limit", from: 5, to: 1 }),
    ]);
    expect(flags(update("aws_db_instance", { backup_retention_period: 1 }, { backup_retention_period: 7 }))).toEqual([]);
  });

  test("backups turned off say that AWS deletes the existing ones", () => {
    expect(flags(update("aws_db_instance", { backup_retention_period: 7 }, { backup_retention_period: 0 }))[0].detail).toContain(
      "AWS deletes the existing ones",
    );
  });
});

describe("data at risk: S3 lifecycle", () => {
  const rule = (id: string, extra: object) => ({ id, status: "Enabled", filter: [{ prefix: "" }], ...extra });
  const lifecycle = (before: object[], after: object[]) => update("aws_s3_bucket_lifecycle_configuration", { rule: before }, { rule: after });

  test("an expiration added to a bucket that kept its objects is flagged with the days", () => {
    expect(flags(lifecycle([rule("abort", {})], [rule("abort", {}), rule("expire-data", { expiration: [{ days: 30 }] })]))).toEqual([
      expect.objectContaining({
        rule: "lifecycle-expiration",
        attribute: "rule[expire-data].expiration.days",
        from: null,
        to: 30,
        detail: expect.stringContaining("kept until deleted"),
      }),
    ]);
  });

  test("a shortened expiration and a shortened noncurrent-version expiration are each flagged", () => {
    const before = [rule("logs", { expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 365 }] })];
    const after = [rule("logs", { expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] })];
    expect(flags(lifecycle(before, after)).map((f) => [f.attribute, f.from, f.to])).toEqual([
      ["rule[logs].expiration.days", 365, 90],
      ["rule[logs].noncurrent_version_expiration.noncurrent_days", 365, 30],
    ]);
  });

  test("an expiration that keeps objects longer is not flagged", () => {
    expect(flags(lifecycle([rule("logs", { expiration: [{ days: 365 }] })], [rule("logs", { expiration: [{ days: 400 }] })]))).toEqual([]);
  });

  test("a disabled expiring rule that is enabled is flagged", () => {
    const disabled = { ...rule("old", { expiration: [{ days: 30 }] }), status: "Disabled" };
    expect(rulesOf(flags(lifecycle([disabled], [rule("old", { expiration: [{ days: 30 }] })])))).toEqual(["data at risk lifecycle-expiration"]);
  });

  test("an expiring rule that applies to a wider filter says so", () => {
    const narrow = { ...rule("tmp", { expiration: [{ days: 7 }] }), filter: [{ prefix: "tmp/" }] };
    expect(flags(lifecycle([narrow], [rule("tmp", { expiration: [{ days: 7 }] })]))[0].detail).toContain("now applies to other objects");
  });

  test("a lifecycle configuration created for a bucket created in the same change is not flagged (nothing is stored yet)", () => {
    const context = { headConfiguration: { resource: { aws_s3_bucket_lifecycle_configuration: { example: { bucket: "${aws_s3_bucket.new.id}" } } } } };
    const created = change("aws_s3_bucket_lifecycle_configuration", ["create"], null, { rule: [rule("x", { expiration: [{ days: 1 }] })] });
    expect(flagsIn(context, created, change("aws_s3_bucket", ["create"], null, {}, {}, "new"))).toEqual([]);
  });
});

describe("data at risk: images, keys, networks, prevent_destroy", () => {
  const images = (count: number) =>
    JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: count }, action: { type: "expire" } }],
    });

  test("an ECR lifecycle policy that keeps fewer images is flagged; one that keeps more is not", () => {
    const replaced = (from: number, to: number) =>
      change("aws_ecr_lifecycle_policy", ["delete", "create"], { policy: images(from) }, { policy: images(to) }, { replace_paths: [["policy"]] });
    expect(flags(replaced(10, 3))).toEqual([
      expect.objectContaining({ rule: "image-expiration", from: 10, to: 3, detail: expect.stringContaining("the newest 3 any images are kept") }),
    ]);
    expect(flags(replaced(10, 20))).toEqual([]);
  });

  const keyContext: ReviewContext = {
    baseConfiguration: {
      resource: {
        aws_kms_key: { data: {} },
        aws_kms_alias: { data_alias: { target_key_id: "${aws_kms_key.data.key_id}" } },
        aws_db_instance: { database: { kms_key_id: "${aws_kms_key.data.arn}", performance_insights_kms_key_id: "${aws_kms_key.data.arn}" } },
        aws_s3_bucket_server_side_encryption_configuration: {
          data_encryption: {
            bucket: "${aws_s3_bucket.data.id}",
            rule: [{ apply_server_side_encryption_by_default: { kms_master_key_id: "${aws_kms_alias.data_alias.arn}" } }],
          },
        },
        aws_iam_role_policy: { reads: { policy: "${aws_kms_key.data.arn}" } },
      },
    },
  };

  test("a destroyed key names every resource encrypted with it, by attribute, through its alias too, and not a policy that merely names it", () => {
    const [flag] = flagsIn(keyContext, change("aws_kms_key", ["delete"], { deletion_window_in_days: 30 }, null, {}, "data"));
    expect(flag).toMatchObject({ rule: "key-deleted", kind: "data at risk" });
    expect(flag.detail).toContain("aws_db_instance.database (kms_key_id, performance_insights_kms_key_id)");
    expect(flag.detail).toContain(
      "aws_s3_bucket_server_side_encryption_configuration.data_encryption (rule.apply_server_side_encryption_by_default.kms_master_key_id: objects of aws_s3_bucket.data)",
    );
    expect(flag.detail).not.toContain("aws_iam_role_policy");
  });

  test("a key that stays raises no key flag", () => {
    expect(flagsIn(keyContext, noop("aws_kms_key", {}, "data"))).toEqual([]);
  });

  const dbContext: ReviewContext = {
    headConfiguration: { resource: { aws_db_instance: { database: { db_subnet_group_name: "${aws_db_subnet_group.subnets.name}" } } } },
    replicas: new Map([["prod-db", ["prod-dr: aws_db_instance.replica"]]]),
  };
  const database = { identifier: "prod-db", multi_az: true, db_subnet_group_name: "prod-db" };

  test("a Multi-AZ database with a replica whose subnet group's subnets are replaced is data at risk and an availability flag, with AWS's reason", () => {
    const subnets = update("aws_db_subnet_group", { subnet_ids: ["subnet-a"] }, { subnet_ids: null }, { after_unknown: { subnet_ids: true } }, "subnets");
    const found = flagsIn(dbContext, noop("aws_db_instance", database, "database"), subnets);
    expect(rulesOf(found)).toEqual(["data at risk database-moves-network", "availability database-moves-network"]);
    expect(found[0].detail).toContain("the database would move to other subnets: the subnets of aws_db_subnet_group.subnets are replaced");
    expect(found[0].detail).toContain("RDS takes a subnet out of a subnet group only when no instance runs in it");
  });

  test("in a new VPC, the flag says AWS's terms for the move: single-AZ without read replicas, and this database is neither", () => {
    const subnets = update("aws_db_subnet_group", { subnet_ids: ["subnet-a"] }, { subnet_ids: null }, { after_unknown: { subnet_ids: true } }, "subnets");
    const vpc = replacedVpc();
    const [flag] = flagsIn(dbContext, noop("aws_db_instance", database, "database"), subnets, vpc);
    expect(flag.detail).toContain("the database would move to another VPC");
    expect(flag.detail).toContain("and here it is Multi-AZ and it has the read replica prod-dr: aws_db_instance.replica");
  });

  test("a database that moves to another subnet group in the same VPC is flagged with AWS's refusal", () => {
    const moved = update("aws_db_instance", database, { ...database, db_subnet_group_name: "other" }, {}, "database");
    const found = flagsIn(dbContext, moved);
    expect(found).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: "database-moves-network", attribute: "db_subnet_group_name", from: "prod-db", to: "other" })]),
    );
    expect(found[0].detail).toContain("The specified DB subnet group and DB instance are in the same VPC");
  });

  test("a database whose subnet group only changes its description is not flagged", () => {
    const described = update(
      "aws_db_subnet_group",
      { subnet_ids: ["subnet-a"], description: "a" },
      { subnet_ids: ["subnet-a"], description: "b" },
      {},
      "subnets",
    );
    expect(flagsIn(dbContext, noop("aws_db_instance", database, "database"), described)).toEqual([]);
  });

  test("destroying a resource with prevent_destroy is data at risk and says the real plan stops there; one without it is not", () => {
    const context = { headConfiguration: { resource: { aws_s3_bucket: { audit: { lifecycle: { prevent_destroy: true } } } } } };
    const replaced = change("aws_s3_bucket", ["delete", "create"], { bucket: "a" }, { bucket: "b" }, { replace_paths: [["bucket"]] }, "audit");
    const found = flagsIn(
      context,
      replaced,
      change("aws_s3_bucket", ["delete", "create"], { bucket: "c" }, { bucket: "d" }, { replace_paths: [["bucket"]] }, "other"),
    );
    expect(found.filter((f) => f.rule === "prevent-destroy")).toEqual([
      expect.objectContaining({ address: "aws_s3_bucket.audit", detail: expect.stringContaining("the real plan stops here") }),
    ]);
  });
});

describe("exposure", () => {
  test("an IAM statement that adds an action is flagged with the action and resource", () => {
    const before = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
    const after = policy({ Effect: "Allow", Action: ["s3:GetObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::b/*" });
    expect(flags(update("aws_iam_role_policy", { policy: before }, { policy: after }))).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "policy", detail: "allows s3:DeleteObject on arn:aws:s3:::b/*" }),
    ]);
  });

  test("GIVEN a role's statements repacked across its managed policies THEN only a grant new to the role is flagged, on the policy that now holds it", () => {
    const grant = (action: string) => ({ Effect: "Allow", Action: action, Resource: "arn:aws:iam::1:role/p-dev-*" });
    const head = {
      resource: {
        aws_iam_role_policy_attachment: {
          one: { role: "${aws_iam_role.deployer.name}", policy_arn: "${aws_iam_policy.deployer_1.arn}" },
          two: { role: "${aws_iam_role.deployer.name}", policy_arn: "${aws_iam_policy.deployer_2.arn}" },
          other: { role: "${aws_iam_role.other.name}", policy_arn: "${aws_iam_policy.other.arn}" },
        },
      },
    };
    // iam:CreateRole moves from the first policy to the second; iam:DeleteRole is new to the role;
    // the other role's policy held iam:TagRole before, which does not make it the deployer's.
    const changes = [
      update("aws_iam_policy", { policy: policy(grant("iam:CreateRole")) }, { policy: policy(grant("iam:GetRole")) }, {}, "deployer_1"),
      update(
        "aws_iam_policy",
        { policy: policy(grant("iam:GetRole")) },
        { policy: policy(grant("iam:CreateRole"), grant("iam:DeleteRole"), grant("iam:TagRole")) },
        {},
        "deployer_2",
      ),
      noop("aws_iam_policy", { policy: policy(grant("iam:TagRole")) }, "other"),
    ];
    expect(flagsIn({ headConfiguration: head }, ...changes).map((f) => `${f.address}: ${f.detail}`)).toEqual([
      "aws_iam_policy.deployer_2: allows iam:DeleteRole on arn:aws:iam::1:role/p-dev-*",
      "aws_iam_policy.deployer_2: allows iam:TagRole on arn:aws:iam::1:role/p-dev-*",
    ]);
    // Without the attachments, each policy stands alone: the move reads as a new grant.
    expect(flags(...changes).map((f) => f.detail)).toContain("allows iam:CreateRole on arn:aws:iam::1:role/p-dev-*");
  });

  test("a new policy with many grants is one flag that counts them, instead of a line per pair", () => {
    const actions = Array.from({ length: 20 }, (_, i) => `ec2:CreateThing${i}`);
    const found = flags(
      change("aws_iam_role_policy", ["create"], null, { policy: policy({ Effect: "Allow", Action: actions, Resource: "arn:aws:ec2:us-east-1:1:*" }) }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        kind: "exposure",
        attribute: "policy",
        detail: expect.stringMatching(/^20 new grants, e.g. allows ec2:CreateThing0 on arn:aws:ec2:us-east-1:1:\*; .*: read the policy in the plan$/),
      }),
    ]);
  });

  test("an IAM statement that narrows is not flagged", () => {
    const before = policy({ Effect: "Allow", Action: ["s3:GetObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::b/*" });
    const after = policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
    expect(flags(update("aws_iam_role_policy", { policy: before }, { policy: after }))).toEqual([]);
  });

  test("a bucket policy that drops a Deny is flagged", () => {
    const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b", Condition: { Bool: { "aws:SecureTransport": "false" } } };
    expect(flags(update("aws_s3_bucket_policy", { policy: policy(deny) }, { policy: policy() }))).toEqual([
      expect.objectContaining({ kind: "exposure", detail: expect.stringContaining("no longer denies s3:* on arn:aws:s3:::b") }),
    ]);
  });

  test("a public access block that stops blocking public policies is flagged", () => {
    const block = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    expect(flags(update("aws_s3_bucket_public_access_block", block, { ...block, block_public_policy: false }))).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "block_public_policy" }),
    ]);
  });

  test("removing a log group's KMS key is flagged as encryption removed; changing the key is not", () => {
    expect(flags(update("aws_cloudwatch_log_group", { kms_key_id: "arn:aws:kms:us-east-1:1:key/a" }, { kms_key_id: null }))).toEqual([
      expect.objectContaining({ kind: "exposure", attribute: "kms_key_id", detail: "encryption is removed" }),
    ]);
    expect(flags(update("aws_cloudwatch_log_group", { kms_key_id: "arn:aws:kms:us-east-1:1:key/a" }, { kms_key_id: "arn:aws:kms:us-east-1:1:key/b" }))).toEqual(
      [],
    );
  });

  const rule = { from_port: 5432, to_port: 5432, ip_protocol: "tcp", referenced_security_group_id: "sg-1" };
  const ruleContext: ReviewContext = {
    baseConfiguration: { resource: { aws_vpc_security_group_ingress_rule: { example: { referenced_security_group_id: "${aws_security_group.tasks.id}" } } } },
    headConfiguration: { resource: { aws_vpc_security_group_ingress_rule: { example: { referenced_security_group_id: "${aws_security_group.tasks.id}" } } } },
  };

  test("an ingress rule from another security group is flagged as a new path, naming the group, not as the internet", () => {
    const [flag] = flagsIn(ruleContext, change("aws_vpc_security_group_ingress_rule", ["create"], null, rule));
    expect(flag).toMatchObject({ kind: "exposure", rule: "rule-opened", detail: "ingress port 5432 (tcp) from aws_security_group.tasks" });
  });

  test("an ingress rule from 0.0.0.0/0 is flagged as the whole internet", () => {
    const open = { from_port: 8501, to_port: 8501, ip_protocol: "tcp", cidr_ipv4: "0.0.0.0/0" };
    expect(flags(change("aws_vpc_security_group_ingress_rule", ["create"], null, open))[0].detail).toBe(
      "ingress port 8501 (tcp) from 0.0.0.0/0: the whole internet",
    );
  });

  test("an egress rule inside the VPC is not an exposure; one to 0.0.0.0/0 is", () => {
    const egress = (cidr: string) =>
      change("aws_vpc_security_group_egress_rule", ["create"], null, { from_port: 443, to_port: 443, ip_protocol: "tcp", cidr_ipv4: cidr });
    expect(flags(egress("10.0.0.0/16"))).toEqual([]);
    expect(rulesOf(flags(egress("0.0.0.0/0")))).toEqual(["exposure rule-opened"]);
  });

  test("a rule re-created with the same content because its peer group is replaced raises no exposure flag", () => {
    const recreated = change(
      "aws_vpc_security_group_ingress_rule",
      ["delete", "create"],
      rule,
      { ...rule, referenced_security_group_id: null },
      {
        after_unknown: { referenced_security_group_id: true },
        replace_paths: [["security_group_id"]],
      },
    );
    expect(
      flagsIn(ruleContext, recreated, change("aws_security_group", ["delete", "create"], {}, {}, { replace_paths: [["vpc_id"]] }, "tasks")).filter(
        (f) => f.kind === "exposure",
      ),
    ).toEqual([]);
  });

  test("a rule that opens another port to a group being replaced names that group, not '?'", () => {
    const widened = change(
      "aws_vpc_security_group_ingress_rule",
      ["delete", "create"],
      rule,
      { ...rule, from_port: 22, to_port: 22, referenced_security_group_id: null },
      {
        after_unknown: { referenced_security_group_id: true },
        replace_paths: [["security_group_id"]],
      },
    );
    const [flag] = flagsIn(ruleContext, widened, change("aws_security_group", ["delete", "create"], {}, {}, { replace_paths: [["vpc_id"]] }, "tasks")).filter(
      (f) => f.kind === "exposure",
    );
    expect(flag.detail).toBe("ingress port 22 (tcp) from aws_security_group.tasks (a group being replaced)");
  });

  test("a placeholder id of the offline state never appears in a flag: it is named by what it stands for", () => {
    const plan = {
      resource_changes: [change("aws_vpc_security_group_ingress_rule", ["create"], null, { ...rule, referenced_security_group_id: "review-tasks-id" })],
      prior_state: {
        values: {
          root_module: {
            resources: [{ address: "aws_security_group.tasks", mode: "managed", type: "aws_security_group", name: "tasks", values: { id: "review-tasks-id" } }],
          },
        },
      },
    };
    expect(reviewChange("dev", plan).flags[0].detail).toBe("ingress port 5432 (tcp) from aws_security_group.tasks.id");
  });

  test("a load balancer that becomes internet-facing is flagged; one that becomes internal is not", () => {
    expect(flags(update("aws_lb", { internal: true }, { internal: false }))).toEqual([expect.objectContaining({ kind: "exposure", attribute: "internal" })]);
    expect(flags(update("aws_lb", { internal: false }, { internal: true }))).toEqual([]);
  });
});

describe("availability", () => {
  test("a new task definition on the service is a rolling restart", () => {
    const rolled = update(
      "aws_ecs_service",
      { task_definition: "arn:1", desired_count: 2 },
      { task_definition: null, desired_count: 2 },
      { after_unknown: { task_definition: true } },
    );
    expect(flags(rolled)).toEqual([expect.objectContaining({ kind: "availability", attribute: "task_definition" })]);
  });

  test("a new network configuration of the service restarts every task", () => {
    const moved = update(
      "aws_ecs_service",
      { network_configuration: [{ subnets: ["a"] }] },
      { network_configuration: [{ subnets: null }] },
      { after_unknown: { network_configuration: [{ subnets: true }] } },
    );
    expect(flags(moved)).toEqual([
      expect.objectContaining({ rule: "service-restarts", attribute: "network_configuration", detail: expect.stringContaining("restarts every task") }),
    ]);
  });

  test("fewer desired tasks is flagged; more is not", () => {
    expect(flags(update("aws_ecs_service", { desired_count: 2 }, { desired_count: 1 }))).toEqual([
      expect.objectContaining({ kind: "availability", attribute: "desired_count" }),
    ]);
    expect(flags(update("aws_ecs_service", { desired_count: 1 }, { desired_count: 2 }))).toEqual([]);
  });

  test("a replaced listener is flagged", () => {
    const replaced = change("aws_lb_listener", ["create", "delete"], { port: 80 }, { port: 81 }, { replace_paths: [["port"]] });
    expect(flags(replaced)).toEqual([expect.objectContaining({ kind: "availability", attribute: "port" })]);
  });

  test("one NAT gateway of two destroyed is flagged: a zone's egress goes through the other zone", () => {
    const found = flags(change("aws_nat_gateway", ["delete"], {}, null, {}, "b"), noop("aws_nat_gateway", {}, "a"));
    expect(found).toEqual([expect.objectContaining({ rule: "nat-reduced", from: 2, to: 1, detail: expect.stringContaining("another zone's NAT gateway") })]);
  });

  test("a NAT gateway replaced keeps the count and is not flagged as fewer", () => {
    expect(flags(change("aws_nat_gateway", ["delete", "create"], {}, {}, { replace_paths: [["subnet_id"]] }), noop("aws_nat_gateway", {}, "a"))).toEqual([]);
  });

  describe("a replaced security group says whether traffic stops, from the plan's order", () => {
    /** The group `name` replaced, one rule on it replaced in `order`, and its user updated in place onto the new group. */
    const replacement = (name: string, rule: string, user: ResourceChange, order: string[]) => [
      change(
        "aws_security_group",
        ["create", "delete"],
        { id: `sg-${name}`, description: "a" },
        { description: "b" },
        { replace_paths: [["description"]] },
        name,
      ),
      change(
        "aws_vpc_security_group_ingress_rule",
        order,
        { security_group_id: `sg-${name}` },
        { security_group_id: null },
        { after_unknown: { security_group_id: true } },
        rule,
      ),
      user,
    ];
    const cases: [string, string, string, ResourceChange][] = [
      [
        "the tasks'",
        "app_security_group",
        "app_from_alb",
        update(
          "aws_ecs_service",
          { network_configuration: [{ security_groups: ["sg-app_security_group"] }] },
          { network_configuration: [{ security_groups: null }] },
          {},
          "app_service",
        ),
      ],
      [
        "the database's",
        "database_security_group",
        "postgres_from_tasks",
        update("aws_db_instance", { vpc_security_group_ids: ["sg-database_security_group"] }, { vpc_security_group_ids: null }, {}, "database"),
      ],
      [
        "the ALB's",
        "load_balancer_security_group",
        "http_in",
        update("aws_lb", { security_groups: ["sg-load_balancer_security_group"] }, { security_groups: null }, {}, "load_balancer"),
      ],
    ];

    test.each(cases)(
      "GIVEN %s group replaced with its rules created before the old ones go THEN no gap is expected, and its user is named",
      (_what, group, rule, user) => {
        const [flag] = flags(...replacement(group, rule, user, ["create", "delete"])).filter((f) => f.rule === "security-group-replaced");
        expect(flag).toMatchObject({ kind: "availability", detail: expect.stringContaining("no gap in traffic is expected") });
        expect(flag.detail).toContain(user.address);
      },
    );

    test.each(cases)(
      "GIVEN %s group replaced with a rule deleted first THEN traffic stops from that deletion until the user has moved",
      (_what, group, rule, user) => {
        const [flag] = flags(...replacement(group, rule, user, ["delete", "create"])).filter((f) => f.rule === "security-group-replaced");
        expect(flag.detail).toContain(
          `aws_vpc_security_group_ingress_rule.${rule} is deleted before its replacement exists, so connections through the group stop`,
        );
        expect(flag.detail).toContain(user.address);
      },
    );
  });

  test("a replaced ECR repository is also an availability flag: the running image is gone", () => {
    const found = flags(change("aws_ecr_repository", ["delete", "create"], { name: "a" }, { name: "b" }, { replace_paths: [["name"]] }));
    expect(rulesOf(found)).toEqual(["data at risk data-replaced", "availability repository-replaced"]);
  });

  test("a destroyed ECR replication configuration is an availability flag: images stop replicating", () => {
    expect(rulesOf(flags(change("aws_ecr_replication_configuration", ["delete"], {}, null)))).toEqual(["availability image-replication-stopped"]);
  });
});

describe("policy documents", () => {
  test("each action, resource and principal of a statement is one grant", () => {
    const doc = policy({ Effect: "Allow", Action: ["a:One", "a:Two"], Resource: ["r1", "r2"], Principal: { AWS: "arn:aws:iam::1:root" } });
    expect(grantsOf(doc)).toHaveLength(4);
    expect(grantsOf(doc)[0]).toEqual({ effect: "Allow", action: "a:One", resource: "r1", principal: "AWS:arn:aws:iam::1:root" });
  });
});

describe("rules", () => {
  test("every rule has a unique id, and the generated table lists each", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(rulesTable()).toContain(`| \`${id}\` |`);
  });
});

describe("gate", () => {
  const [replaced] = reviewChange("prod", {
    resource_changes: [
      change("aws_db_instance", ["delete", "create"], { db_name: "dashboard" }, { db_name: "dashboard_v2" }, { replace_paths: [["db_name"]] }, "database"),
    ],
  }).flags;
  const atRisk: StackFlag = { ...replaced, stack: "prod" };
  const reason = "a snapshot was restored into the new database first (CHG-1234)";

  test("an unacknowledged data-at-risk flag blocks", () => {
    expect(gate([atRisk], []).blocking).toEqual([atRisk]);
  });

  test("an acknowledgement of that change (rule, attribute, from and to) lets it pass, with its reason", () => {
    const verdict = gate(
      [atRisk],
      [{ stack: "prod", address: "aws_db_instance.database", rule: "data-replaced", attribute: "db_name", from: "dashboard", to: "dashboard_v2", reason }],
    );
    expect(verdict.blocking).toEqual([]);
    expect(verdict.acknowledged).toEqual([expect.objectContaining({ address: "aws_db_instance.database", reason })]);
  });

  test("an acknowledgement by the fingerprint the report prints lets it pass", () => {
    expect(
      gate([atRisk], [{ stack: "prod", address: "aws_db_instance.database", rule: "data-replaced", fingerprint: atRisk.fingerprint, reason }]).blocking,
    ).toEqual([]);
  });

  test("an acknowledgement written for another change of the same address does not cover the replace, and is reported with what this change flags there", () => {
    const other = {
      stack: "prod",
      address: "aws_db_instance.database",
      rule: "backup-retention-shortened",
      attribute: "backup_retention_period",
      from: 7,
      to: 1,
      reason,
    };
    const verdict = gate([atRisk], [other]);
    expect(verdict.blocking).toEqual([atRisk]);
    expect(verdict.unused).toEqual([{ acknowledgement: other, sameAddress: [atRisk] }]);
  });

  test("an acknowledgement of the same rule with other values does not cover it", () => {
    expect(
      accepts(
        { stack: "prod", address: "aws_db_instance.database", rule: "data-replaced", attribute: "db_name", from: "dashboard", to: "dashboard_v3", reason },
        atRisk,
      ),
    ).toBe(false);
  });

  test("an acknowledgement for another stack does not, and is reported as unused", () => {
    const verdict = gate([atRisk], [{ stack: "dev", address: "aws_db_instance.database", rule: "data-replaced", fingerprint: atRisk.fingerprint, reason }]);
    expect(verdict.blocking).toEqual([atRisk]);
    expect(verdict.unused).toHaveLength(1);
  });

  test("exposure and availability flags never block", () => {
    expect(
      gate(
        [
          { ...atRisk, kind: "exposure" },
          { ...atRisk, kind: "availability" },
        ],
        [],
      ).blocking,
    ).toEqual([]);
  });

  test("an acknowledgement that does not say which change it accepts is refused with the fix", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "acks-")), "acks.json");
    fs.writeFileSync(file, JSON.stringify({ acknowledgements: [{ stack: "prod", address: "aws_db_instance.database", rule: "data-replaced", reason }] }));
    expect(() => readAcknowledgements(file)).toThrow(/must say which change it accepts: a fingerprint, or attribute with from and to[\s\S]*Fix: each entry is/);
  });

  test("GIVEN an acknowledgements file cut short WHEN it is read THEN the refusal names the file, the line and column, and the fix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acks-"));
    const file = path.join(dir, "acks.json");
    fs.writeFileSync(file, '{\n  "acknowledgements": [\n');
    expect(() => readAcknowledgements(file)).toThrow(/acks\.json:3:1: not valid JSON \(.*\)\. Fix: correct the JSON at that line and column/);
  });

  test("an acknowledgement that names no rule of the review is refused, listing the rules", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "acks-")), "acks.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ acknowledgements: [{ stack: "prod", address: "aws_db_instance.database", rule: "replaced", fingerprint: "0123456789ab", reason }] }),
    );
    expect(() => readAcknowledgements(file)).toThrow(/rule: must be a rule of the change review: data-replaced, /);
  });
});

describe("the two sides", () => {
  const WARNING = "prod: WARNING: not encrypted in transit: the ALB reaches the tasks over plain HTTP inside the VPC.";

  test("a synthesis warning that both sides print is printed once, saying it comes from both", () => {
    expect(warningLines("e55bed8", [WARNING], [WARNING])).toEqual(["synthesis warnings of the base (e55bed8) and the working tree:", `  ${WARNING}`]);
  });

  test("a warning that only the working tree prints says so", () => {
    expect(warningLines("e55bed8", [], [WARNING])).toEqual(["synthesis warnings of the working tree only:", `  ${WARNING}`]);
  });

  test("a side that does not synthesize is named, with the validator's message", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "side-"));
    const app = `node -e "console.error('environment \\"prod\\": network.vpcCidr must be an IPv4 CIDR block. Fix: ...'); process.exit(1)"`;
    fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ app, context: {} }));
    expect(() => synthesizeTree(dir, path.join(dir, "out"), "base v1.4.0 (abc1234)")).toThrow(
      /^the base v1\.4\.0 \(abc1234\) does not synthesize \(.*exit 1\):\nenvironment "prod": network\.vpcCidr must be an IPv4 CIDR block\. Fix: \.\.\.$/,
    );
  });
});

describe("managed policies attached", () => {
  test("GIVEN a managed policy created in the same change WHEN attached THEN the flag names it by address, its ARN being known only after apply", () => {
    const head = {
      resource: {
        aws_iam_role_policy_attachment: {
          deployer_policy_attachment: { role: "smh-dashboard-ci-prod-deployer", policy_arn: "${aws_iam_policy.deployer_policy.arn}" },
        },
      },
    };
    const attached = change(
      "aws_iam_role_policy_attachment",
      ["create"],
      null,
      { role: "smh-dashboard-ci-prod-deployer" },
      { after_unknown: { policy_arn: true } },
      "deployer_policy_attachment",
    );
    expect(flagsIn({ headConfiguration: head }, attached)).toEqual([
      expect.objectContaining({ rule: "managed-policy-attached", detail: "attaches aws_iam_policy.deployer_policy to smh-dashboard-ci-prod-deployer" }),
    ]);
  });
});

describe("refused: a change AWS will not make is reported where the apply fails", () => {
  test("GIVEN an RDS instance WHEN its allocated storage shrinks THEN the apply fails there (RDS never shrinks storage), and no restart is promised", () => {
    const found = flags(update("aws_db_instance", { allocated_storage: 100 }, { allocated_storage: 50 }));
    expect(found).toEqual([
      expect.objectContaining({ kind: "refused", rule: "storage-shrunk", from: 100, to: 50, detail: expect.stringContaining("the apply fails here") }),
    ]);
  });

  test("GIVEN an RDS instance WHEN its storage grows THEN it is only a restart", () => {
    expect(rulesOf(flags(update("aws_db_instance", { allocated_storage: 50 }, { allocated_storage: 100 })))).toEqual(["availability database-restarts"]);
  });

  test("GIVEN an instance or Aurora cluster WHEN its major version goes up without allow_major_version_upgrade THEN AWS refuses it", () => {
    for (const type of ["aws_db_instance", "aws_rds_cluster"]) {
      for (const [from, to] of [
        ["15", "16"],
        ["15.10", "16.4"],
      ]) {
        const found = flags(update(type, { engine_version: from }, { engine_version: to, allow_major_version_upgrade: null }));
        expect(found).toEqual([
          expect.objectContaining({
            kind: "refused",
            rule: "major-upgrade",
            attribute: "engine_version",
            from,
            to,
            detail: expect.stringContaining("the apply fails here"),
          }),
        ]);
      }
    }
  });

  test("GIVEN a major version up WHEN allow_major_version_upgrade is true THEN it is a long outage, not a restart in the maintenance window", () => {
    const found = flags(update("aws_db_instance", { engine_version: "15.10" }, { engine_version: "16.4", allow_major_version_upgrade: true }));
    expect(found).toEqual([
      expect.objectContaining({
        kind: "availability",
        rule: "major-upgrade",
        detail: expect.stringContaining("a major upgrade is a long outage: the instance is unavailable for the upgrade's duration"),
      }),
    ]);
  });

  test("GIVEN a refused major upgrade THEN the fix names the setting that allows it", () => {
    const [flag] = flags(update("aws_db_instance", { engine_version: "15" }, { engine_version: "16" }));
    expect(flag.detail).toContain("Fix: set database.majorUpgradeFrom to the major it runs now, which sets allow_major_version_upgrade with the new version");
  });

  test("GIVEN an allowed major upgrade of an instance with a cross-region replica THEN the availability flag names the replica and the order of the deploys", () => {
    const context = { replicas: new Map([["prod-db", ["prod-dr: aws_db_instance.replica"]]]) };
    const upgrade = update(
      "aws_db_instance",
      { identifier: "prod-db", engine_version: "15" },
      { identifier: "prod-db", engine_version: "16", allow_major_version_upgrade: true },
    );
    const [flag] = flagsIn(context, upgrade);
    expect(flag).toMatchObject({ kind: "availability", rule: "major-upgrade" });
    expect(flag.detail).toContain("its read replica prod-dr: aws_db_instance.replica keeps the old family's parameter group until the upgrade has completed");
    expect(flag.detail).toContain("then remove database.majorUpgradeFrom and deploy the replica's stack, then this one");
  });

  test("GIVEN a minor version up THEN it stays a restart", () => {
    expect(rulesOf(flags(update("aws_db_instance", { engine_version: "15.10" }, { engine_version: "15.12" })))).toEqual(["availability database-restarts"]);
  });

  test("a refused upgrade names what the apply changes before it: the parameter group it refers to", () => {
    const context = { headConfiguration: { resource: { aws_db_instance: { example: { parameter_group_name: "${aws_db_parameter_group.params.name}" } } } } };
    const params = change(
      "aws_db_parameter_group",
      ["create", "delete"],
      { family: "postgres15" },
      { family: "postgres16" },
      { replace_paths: [["family"]] },
      "params",
    );
    const [flag] = flagsIn(context, update("aws_db_instance", { engine_version: "15" }, { engine_version: "16" }), params);
    expect(flag.detail).toContain("the apply fails here, after it has replaced aws_db_parameter_group.params");
  });

  const replicaContext = {
    headConfiguration: { resource: { aws_db_instance: { replica: { parameter_group_name: "${aws_db_parameter_group.replica_params.name}" } } } },
  };
  const replica = (family: string) => [
    update(
      "aws_db_instance",
      { replicate_source_db: "arn:aws:rds:us-east-1:1:db:prod-db", engine_version: "15.10", parameter_group_name: "old" },
      { replicate_source_db: "arn:aws:rds:us-east-1:1:db:prod-db", engine_version: "15.10", parameter_group_name: null },
      { after_unknown: { parameter_group_name: true } },
      "replica",
    ),
    change("aws_db_parameter_group", ["create", "delete"], { family: "postgres15" }, { family }, { replace_paths: [["family"]] }, "replica_params"),
  ];

  test("GIVEN a read replica WHEN its parameter group's family is ahead of its engine version THEN AWS refuses the group", () => {
    const found = flagsIn(replicaContext, ...replica("postgres16")).filter((f) => f.rule === "replica-parameter-family");
    expect(found).toEqual([expect.objectContaining({ kind: "refused", attribute: "parameter_group_name", to: "postgres16" })]);
    expect(found[0].detail).toContain("of family postgres16, ahead of the replica's engine 15.10");
  });

  test("GIVEN a replica whose version the plan does not know (it takes its source's) WHEN its group moves to the next family THEN it is refused, its engine read from the group it has now, with the order to follow", () => {
    const [instance, group] = replica("postgres16");
    const unknownVersion = {
      ...instance,
      change: { ...instance.change, before: { ...instance.change.before, engine_version: "" }, after: { ...instance.change.after, engine_version: "" } },
    };
    const found = flagsIn(replicaContext, unknownVersion, group).filter((f) => f.rule === "replica-parameter-family");
    expect(found).toEqual([expect.objectContaining({ kind: "refused", from: "postgres15", to: "postgres16" })]);
    expect(found[0].detail).toContain("of family postgres16, ahead of the replica's engine (postgres15, the family of the group it has now)");
    expect(found[0].detail).toContain(
      "Fix: once its source's upgrade has completed, which the review cannot see, acknowledge this flag saying so (the replica runs 16: aws rds describe-db-instances)",
    );
  });

  test("GIVEN a read replica WHEN its parameter group's family matches its engine THEN nothing is refused", () => {
    expect(flagsIn(replicaContext, ...replica("postgres15")).filter((f) => f.kind === "refused")).toEqual([]);
  });

  test("GIVEN deletion protection on WHEN an instance or cluster is destroyed or replaced THEN AWS refuses the delete, and the data flag stays", () => {
    expect(rulesOf(flags(change("aws_db_instance", ["delete"], { deletion_protection: true }, null)))).toEqual([
      "data at risk data-destroyed",
      "refused delete-refused",
    ]);
    const replaced = change(
      "aws_rds_cluster",
      ["delete", "create"],
      { deletion_protection: true },
      { deletion_protection: true },
      { replace_paths: [["engine"]] },
    );
    expect(flags(replaced).filter((f) => f.kind === "refused")).toEqual([
      expect.objectContaining({ rule: "delete-refused", attribute: "deletion_protection", detail: expect.stringContaining("DeleteDBCluster") }),
    ]);
    expect(flags(change("aws_db_instance", ["delete"], { deletion_protection: false }, null)).filter((f) => f.kind === "refused")).toEqual([]);
    expect(rulesOf(flags(change("aws_lb", ["delete"], { enable_deletion_protection: true }, null)))).toEqual([
      "refused delete-refused",
      "availability entry-point-replaced",
    ]);
  });

  test("GIVEN a protected database replaced with a task definition that reads it THEN the refusal says the old task definition is gone by then", () => {
    const context = { baseConfiguration: { resource: { aws_ecs_task_definition: { app: { container_definitions: "${aws_db_instance.example.address}" } } } } };
    const database = change(
      "aws_db_instance",
      ["delete", "create"],
      { deletion_protection: true },
      { deletion_protection: true },
      { replace_paths: [["db_name"]] },
    );
    const taskDefinition = change("aws_ecs_task_definition", ["delete", "create"], {}, {}, { replace_paths: [["container_definitions"]] }, "app");
    const [flag] = flagsIn(context, database, taskDefinition).filter((f) => f.rule === "delete-refused");
    expect(flag.detail).toContain(
      "the replace starts with a delete, which is refused (DeleteDBInstance): the apply fails here, after it has destroyed the old aws_ecs_task_definition.app",
    );
  });

  const bucketContext: ReviewContext = {
    baseConfiguration: {
      resource: {
        aws_s3_bucket_policy: { data_policy: { bucket: "${aws_s3_bucket.example.id}" } },
        aws_s3_bucket_public_access_block: { data_block: { bucket: "${aws_s3_bucket.example.id}" } },
        aws_s3_bucket_server_side_encryption_configuration: { data_encryption: { bucket: "${aws_s3_bucket.example.id}" } },
        aws_s3_bucket_lifecycle_configuration: { data_lifecycle: { bucket: "${aws_s3_bucket.example.id}" } },
      },
    },
  };
  const siblings = [
    change("aws_s3_bucket_policy", ["delete"], {}, null, {}, "data_policy"),
    change("aws_s3_bucket_public_access_block", ["delete"], {}, null, {}, "data_block"),
    change("aws_s3_bucket_server_side_encryption_configuration", ["delete"], {}, null, {}, "data_encryption"),
    change("aws_s3_bucket_lifecycle_configuration", ["delete"], {}, null, {}, "data_lifecycle"),
  ];

  test("GIVEN a bucket without force_destroy WHEN it is destroyed THEN DeleteBucket is refused, after its siblings are gone, and it is still data at risk", () => {
    const found = flagsIn(bucketContext, change("aws_s3_bucket", ["delete"], { force_destroy: false }, null), ...siblings).filter(
      (f) => f.address === "aws_s3_bucket.example",
    );
    expect(rulesOf(found)).toEqual(["data at risk data-destroyed", "refused delete-refused"]);
    for (const sibling of [
      "aws_s3_bucket_policy.data_policy",
      "aws_s3_bucket_public_access_block.data_block",
      "aws_s3_bucket_server_side_encryption_configuration.data_encryption",
      "aws_s3_bucket_lifecycle_configuration.data_lifecycle",
    ])
      expect(found[1].detail).toContain(`destroyed ${sibling}`);
    expect(found[1].detail).toContain("BucketNotEmpty");
  });

  test("GIVEN a bucket with force_destroy WHEN it is destroyed THEN nothing is refused", () => {
    expect(flags(change("aws_s3_bucket", ["delete"], { force_destroy: true }, null)).filter((f) => f.kind === "refused")).toEqual([]);
  });

  const lbContext: ReviewContext = {
    headConfiguration: { resource: { aws_lb: { example: { subnets: ["${aws_subnet.public_a.id}", "${aws_subnet.public_b.id}"] } } } },
  };
  const lb = update("aws_lb", { subnets: ["subnet-a", "subnet-b"], vpc_id: "vpc-1" }, { subnets: null, vpc_id: "vpc-1" }, { after_unknown: { subnets: true } });
  /** A replaced subnet: in a new VPC (its vpc_id known only after apply), or in the same one. */
  const subnet = (name: string, replacePaths: string[][]) =>
    replacePaths.some((p) => p[0] === "vpc_id")
      ? change(
          "aws_subnet",
          ["delete", "create"],
          { vpc_id: "vpc-1" },
          { vpc_id: null },
          { replace_paths: replacePaths, after_unknown: { vpc_id: true } },
          name,
        )
      : change("aws_subnet", ["delete", "create"], { vpc_id: "vpc-1" }, { vpc_id: "vpc-1" }, { replace_paths: replacePaths }, name);

  test("GIVEN an ALB WHEN its subnets move to a replaced VPC THEN AWS cannot move it there: refused", () => {
    const vpc = replacedVpc();
    const found = flagsIn(lbContext, lb, vpc, subnet("public_a", [["vpc_id"]]), subnet("public_b", [["vpc_id"]])).filter(
      (f) => f.rule === "load-balancer-moves-vpc",
    );
    expect(found).toEqual([expect.objectContaining({ kind: "refused", attribute: "subnets", detail: expect.stringContaining("another VPC") })]);
    expect(found[0].detail).toContain("after it has replaced aws_subnet.public_a");
  });

  test("GIVEN an ALB WHEN its subnets are replaced inside the same VPC THEN it is not refused", () => {
    expect(flagsIn(lbContext, lb, subnet("public_a", [["cidr_block"]]), subnet("public_b", [["cidr_block"]])).filter((f) => f.kind === "refused")).toEqual([]);
  });

  test("a destroyed RDS automated backups replication is an availability flag, as ECR replication's is", () => {
    expect(flags(change("aws_db_instance_automated_backups_replication", ["delete"], {}, null))).toEqual([
      expect.objectContaining({ kind: "availability", rule: "backup-replication-stopped", detail: expect.stringContaining("the other region") }),
    ]);
  });

  test("a key scheduled for deletion is unusable at once; the waiting period is only the time to cancel", () => {
    const [flag] = flags(change("aws_kms_key", ["delete"], { deletion_window_in_days: 30 }, null));
    expect(flag.detail).toContain("a key pending deletion is unusable at once");
    expect(flag.detail).toContain("the 30-day waiting period is the time to cancel the deletion");
    expect(flag.detail).not.toContain("after 30 days");
  });
});

describe("short output", () => {
  const unknownPolicy = (name: string) => update("aws_iam_role_policy", { policy: "{}" }, { policy: null }, { after_unknown: { policy: true } }, name);

  test("GIVEN two policies known only after apply THEN the stack says it once, and each policy is still flagged", () => {
    const found = flags(unknownPolicy("a"), unknownPolicy("b"));
    expect(found.map((f) => f.address)).toEqual(["aws_iam_role_policy.a", "aws_iam_role_policy.b"]);
    expect(found.filter((f) => f.detail.includes("only known after apply: review it in the real plan"))).toHaveLength(1);
  });

  test("GIVEN one rule raising two kinds of one change (one fingerprint) THEN the printed lines say its detail once", () => {
    const moved = update(
      "aws_db_instance",
      { identifier: "prod-db", db_subnet_group_name: "prod-db" },
      { identifier: "prod-db", db_subnet_group_name: "other" },
      {},
      "database",
    );
    const change = reviewChange("dev", { resource_changes: [moved] });
    const lines = stackLines(change, "review");
    expect(lines.filter((l) => l.includes("the database would move to another subnet group"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("#" + change.flags[0].fingerprint))).toHaveLength(1);
    expect(lines.join("\n")).toContain("data at risk, availability: aws_db_instance.database");
    expect(renderStackChange(change).match(/RDS refuses to move an instance/g)).toHaveLength(1);
  });
});

describe("gate: refusals", () => {
  const [refused] = reviewChange("prod", {
    resource_changes: [update("aws_db_instance", { allocated_storage: 100 }, { allocated_storage: 50 }, {}, "database")],
  }).flags;
  const flag: StackFlag = { ...refused, stack: "prod" };

  test("an unacknowledged refused flag blocks, and the summary says so", () => {
    const verdict = gate([flag], []);
    expect(verdict.blocking).toEqual([flag]);
    expect(verdictLines(verdict, { check: true, acknowledgementsFile: "acks.json", base: "main" }).join("\n")).toContain(
      "1 refused flag(s) without an acknowledgement",
    );
  });

  test("an acknowledged refused flag passes", () => {
    const reason = "the storage is shrunk by a snapshot restore outside Terraform first (CHG-1)";
    expect(
      gate([flag], [{ stack: "prod", address: "aws_db_instance.database", rule: "storage-shrunk", fingerprint: flag.fingerprint, reason }]).blocking,
    ).toEqual([]);
  });
});

describe("acknowledgements bound to the change that made them", () => {
  const destroyed = () => change("aws_db_instance", ["delete"], { identifier: "db", deletion_protection: false }, null);
  const bound = (base: string) => flagsIn({ binding: base }, destroyed()).find((f) => f.rule === "data-destroyed")!;

  test("GIVEN the same destroy reviewed against two bases THEN its fingerprints differ: present -> destroyed no longer names one change for every cause", () => {
    expect(bound("1111111").from).toBe("present");
    expect(bound("1111111").boundTo).toBe("1111111");
    expect(bound("1111111").fingerprint).not.toBe(bound("2222222").fingerprint);
    expect(bound("1111111").fingerprint).toBe(bound("1111111").fingerprint);
  });

  test("GIVEN an acknowledgement of a bound destroy by its fingerprint THEN it accepts that review's flag and not another base's", () => {
    const flag = { ...bound("1111111"), stack: "dev" };
    const byFingerprint = { stack: "dev", address: flag.address, rule: flag.rule, fingerprint: flag.fingerprint, reason: "the database moved to Aurora first" };
    expect(accepts(byFingerprint, flag)).toBe(true);
    expect(accepts(byFingerprint, { ...bound("2222222"), stack: "dev" })).toBe(false);
  });

  test("GIVEN an acknowledgement of a bound destroy by attribute, from and to THEN it accepts nothing: those values read the same for any cause", () => {
    const flag = { ...bound("1111111"), stack: "dev" };
    const byValues = {
      stack: "dev",
      address: flag.address,
      rule: flag.rule,
      attribute: flag.attribute,
      from: flag.from,
      to: flag.to,
      reason: "the database moved to Aurora first",
    };
    expect(accepts(byValues, flag)).toBe(false);
    // an attribute change (not whole-resource) is still accepted by its values
    const shortened = flagsIn({ binding: "1111111" }, update("aws_db_instance", { backup_retention_period: 7 }, { backup_retention_period: 1 })).find(
      (f) => f.rule === "backup-retention-shortened",
    )!;
    expect(shortened.boundTo).toBeUndefined();
    expect(
      accepts(
        { stack: "dev", address: shortened.address, rule: shortened.rule, attribute: shortened.attribute, from: 7, to: 1, reason: "a test database" },
        { ...shortened, stack: "dev" },
      ),
    ).toBe(true);
  });

  test("GIVEN an acknowledged flag THEN change.md marks it with the acknowledgement's reason; the others stay unmarked", () => {
    const review = reviewChange("dev", { resource_changes: [destroyed()] }, undefined, { binding: "1111111" });
    const flag = review.flags.find((f) => f.rule === "data-destroyed")!;
    const text = renderStackChange(review, "Change review", new Map([[flag.fingerprint, "the database moved to Aurora first"]]));
    expect(text).toContain(`[data-destroyed #${flag.fingerprint}]`);
    expect(text).toMatch(
      new RegExp(`#${flag.fingerprint}\\].*\\*\\*Acknowledged\\*\\* \\(change-acknowledgements\\.json\\): the database moved to Aurora first`),
    );
    expect(renderStackChange(review, "Change review")).not.toContain("Acknowledged");
  });
});
