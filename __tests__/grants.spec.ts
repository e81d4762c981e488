/**
 * The construct API's grants and connections: what a newcomer writes to give one more role
 * access, or let one more service in, is one call, and it writes both sides.
 */
import { Testing } from "cdktf";
import { POLICY_QUOTAS, policySize } from "../src/aws/policy-size";
import { deploymentContext } from "../src/constructs/context";
import { Role, ServiceRole } from "../src/constructs/iam";
import { NamedStack } from "../src/stacks/named-stack";
import { SecurityGroup } from "../src/constructs/security-group";
import { EnvironmentStack } from "../src/stacks/environment-stack";
import { configOf, policyDocument, resource, type TerraformJson } from "./helpers";

/** Builds prod, lets `change` add to it, and returns the synthesized JSON. */
function prodWith(change: (stack: EnvironmentStack) => void): TerraformJson {
  const stack = new EnvironmentStack(Testing.app(), "prod", { config: configOf("prod") });
  change(stack);
  return JSON.parse(Testing.synth(stack));
}

describe("grants", () => {
  test("'the task role may read the static bucket' is one call, and reads nothing else", () => {
    const json = prodWith((stack) => stack.storage.staticAssets!.grantRead(stack.service.taskRole));
    const statements = policyDocument(json, "app_task_role_permissions").statement;
    expect(statements.find((s) => s.sid === "ListBuckets").resources).toEqual([
      "${aws_s3_bucket.storage_models.arn}",
      "${aws_s3_bucket.storage_data.arn}",
      "${aws_s3_bucket.storage_static.arn}",
    ]);
    expect(statements.find((s) => s.sid === "ReadObjects")).toEqual(
      expect.objectContaining({ actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.storage_static.arn}/*"] }),
    );
    // The static bucket has no customer key, so there is no key statement to add.
    expect(statements.filter((s) => s.sid === "DecryptBucketObjects")).toEqual([]);
  });

  test("a read grant on a bucket with a customer key includes decrypting through S3 only", () => {
    const json = prodWith((stack) => stack.storage.models.grantRead(stack.service.executionRole));
    expect(policyDocument(json, "app_execution_role_permissions").statement.find((s) => s.sid === "DecryptBucketObjects")).toEqual(
      expect.objectContaining({
        actions: ["kms:Decrypt"],
        resources: ["${aws_kms_key.keys_data.arn}"],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] }],
      }),
    );
  });

  test("a grant under a prefix limits both listing and objects to it", () => {
    const json = prodWith((stack) => stack.storage.data.grantRead(stack.service.executionRole, "exports/"));
    const statements = policyDocument(json, "app_execution_role_permissions").statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actions: ["s3:ListBucket"],
          resources: ["${aws_s3_bucket.storage_data.arn}"],
          condition: [{ test: "StringLike", variable: "s3:prefix", values: ["exports/*"] }],
        }),
        expect.objectContaining({ actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.storage_data.arn}/exports/*"] }),
      ]),
    );
  });

  test("the same grant twice adds nothing", () => {
    const once = policyDocument(
      prodWith(() => undefined),
      "app_task_role_permissions",
    ).statement;
    const twice = policyDocument(
      prodWith((stack) => stack.storage.models.grantReadWrite(stack.service.taskRole)),
      "app_task_role_permissions",
    ).statement;
    expect(twice).toEqual(once);
  });

  test("a statement that reuses a sid with other actions is refused, naming the role", () => {
    expect(() =>
      prodWith((stack) => stack.service.taskRole.addStatements({ sid: "ListBuckets", effect: "Allow", actions: ["s3:GetBucketTagging"], resources: ["*"] })),
    ).toThrow('prod/app/task-role: a statement with sid "ListBuckets" but other actions or conditions exists; give it its own sid');
  });

  test("a new role gets pull access to the image and the database secret with one call each", () => {
    const json = prodWith((stack) => {
      const worker = new ServiceRole(stack, "worker-role", { context: stack.context, name: "worker", service: "ecs-tasks.amazonaws.com" });
      stack.registry.grantPull(worker);
      stack.database!.grantSecretRead(worker);
    });
    expect(policyDocument(json, "worker_role_permissions").statement.map((s) => s.sid)).toEqual([
      "EcrAuthorization",
      "PullDashboardImage",
      "ReadDatabaseSecret",
      "DecryptDatabaseSecret",
    ]);
  });
});

describe("connections", () => {
  test("'a second service may reach the database' is one call that writes both rules", () => {
    const json = prodWith((stack) => {
      const worker = new SecurityGroup(stack, "worker", {
        network: stack.network,
        name: "smh-dashboard-prod-worker",
        label: "worker",
        members: "the report worker",
        description: "Report worker",
      });
      stack.database!.allowFrom(worker);
    });
    expect(resource(json, "aws_vpc_security_group_ingress_rule", "database_security_group_postgres_from_worker")).toMatchObject({
      security_group_id: "${aws_security_group.database_security_group.id}",
      referenced_security_group_id: "${aws_security_group.worker.id}",
      from_port: 5432,
      description: "PostgreSQL from the report worker",
    });
    expect(resource(json, "aws_vpc_security_group_egress_rule", "worker_postgres_to_db")).toMatchObject({
      security_group_id: "${aws_security_group.worker.id}",
      referenced_security_group_id: "${aws_security_group.database_security_group.id}",
      to_port: 5432,
      description: "PostgreSQL on the dashboard database",
    });
  });
});

describe("constructs refuse what they cannot build", () => {
  test("a network with a subnet CIDR missing for a zone", () => {
    const config = configOf("dev");
    const unchecked = { ...config, network: { ...config.network, privateSubnetCidrs: ["10.0.10.0/24"] } };
    expect(() => new EnvironmentStack(Testing.app(), "dev", { config: unchecked })).toThrow(
      "dev/network: privateSubnetCidrs lists 1 CIDR(s) for 2 availability zones. Fix: give exactly one CIDR per zone, in the zones' order.",
    );
  });
});

describe("a role whose permissions are managed policies", () => {
  // About 1,900 characters a statement: five need more than one managed policy.
  const bucketRead = (i: number) => ({
    sid: `Read${i}`,
    effect: "Allow",
    actions: ["s3:GetObject"],
    resources: Array.from({ length: 40 }, (_, j) => `arn:aws:s3:::smh-dashboard-prod-bucket-${i}-${j}/*`),
  });

  test("GIVEN statements beyond one managed policy WHEN built THEN they are packed in order into policies of at most IAM's 6,144 characters, each attached", () => {
    const stack = new NamedStack(Testing.app(), "test");
    const context = deploymentContext(stack, { accountId: "123456789012", region: "us-east-1", names: { project: "p", environment: "test" } });
    new Role(stack, "deployer", { name: "p-deployer", trust: [], statements: [1, 2, 3, 4, 5].map(bucketRead), permissions: { kind: "managed", context } });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    const documents = json.data!.aws_iam_policy_document as Record<string, { statement: { sid: string }[] }>;
    const names = Object.keys(documents).filter((n) => /^deployer_permissions(_\d+)?$/.test(n));
    expect(names.length).toBeGreaterThan(1);
    expect(names.map((n, i) => [n, n === `deployer_permissions${i === 0 ? "" : `_${i + 1}`}`])).toEqual(names.map((n) => [n, true]));
    expect(names.flatMap((n) => documents[n].statement.map((st) => st.sid))).toEqual(["Read1", "Read2", "Read3", "Read4", "Read5"]);
    for (const name of names) expect(policySize(documents[name].statement as never)).toBeLessThanOrEqual(POLICY_QUOTAS.managed);
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment).sort()).toEqual(
      names.map((n) => n.replace("permissions", "policy") + "_attachment").sort(),
    );
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
  });

  test("GIVEN managed permissions WHEN a grant adds a statement later THEN it is refused: the policies were packed when the role was built", () => {
    const stack = new NamedStack(Testing.app(), "test");
    const context = deploymentContext(stack, { accountId: "123456789012", region: "us-east-1", names: { project: "p", environment: "test" } });
    const role = new Role(stack, "deployer", { name: "p-deployer", trust: [], statements: [bucketRead(1)], permissions: { kind: "managed", context } });
    expect(() => role.addStatements(bucketRead(2))).toThrow("its permissions are managed policies, packed when it was built");
  });
});
