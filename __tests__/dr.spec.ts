/**
 * Regional disaster recovery: prod's standby stack in the DR region (prod-dr) with its network
 * and the database replica, the image replicated to the DR region, and what the settings refuse.
 */
import { GUARDDUTY_FARGATE_AGENT_ACCOUNTS } from "../src/aws/guardduty-agent";
import { PARTITIONS } from "../src/aws/regions";
import { resolveDeployment } from "../src/validation/deployment";
import type { DeploymentSettings } from "../src/validation";
import { appStacks as stacksOfApp, ARN, COMMITTED, configOf, resource, resourcesOf, synthEnvironment, synthStandby, type TerraformJson } from "./helpers";

jest.setTimeout(300_000);

/** prod's DR stack with extra settings for prod. */
function drStack(prod: DeploymentSettings["environments"] extends infer E ? (E extends Record<string, infer P> ? P : never) : never = {}): TerraformJson {
  return synthStandby("prod", { environments: { prod } });
}

const json = drStack();

describe("prod's standby in the DR region (prod-dr)", () => {
  test("has its own state key and lives in the DR region, tagged as prod's standby", () => {
    expect(json.terraform.backend.s3).toMatchObject({ key: "smh-dashboard/prod-dr/terraform.tfstate", region: "us-west-2" });
    expect(json.provider.aws[0]).toMatchObject({
      region: "us-west-2",
      default_tags: [{ tags: expect.objectContaining({ Environment: "prod", Standby: "dr" }) }],
    });
  });

  test("reads nothing from the primary region's state: no remote state, no reference out of the stack", () => {
    expect(json.data?.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/terraform_remote_state/);
  });

  test("an encrypted cross-region read replica of prod's database, by its ARN, with its own key's ARN", () => {
    expect(resource(json, "aws_db_instance", "replica")).toMatchObject({
      identifier: "smh-dashboard-prod-dr-db",
      replicate_source_db: `${ARN}:rds:us-east-1:123456789012:db:smh-dashboard-prod-db`,
      storage_encrypted: true,
      kms_key_id: "${aws_kms_key.database_key.arn}",
      performance_insights_enabled: true,
      performance_insights_kms_key_id: "${aws_kms_key.database_key.arn}",
      monitoring_interval: 60,
      monitoring_role_arn: "${aws_iam_role.replica_monitoring_role.arn}",
      deletion_protection: true,
      publicly_accessible: false,
      db_subnet_group_name: "${aws_db_subnet_group.replica_subnets.name}",
      parameter_group_name: "${aws_db_parameter_group.replica_parameters.name}",
      backup_retention_period: 0,
    });
    expect(resource(json, "aws_db_parameter_group", "replica_parameters")).toMatchObject({
      family: "postgres15",
      parameter: [{ name: "rds.force_ssl", value: "1" }],
    });
    expect(resource(json, "aws_db_subnet_group", "replica_subnets").subnet_ids).toEqual([
      "${aws_subnet.network_private_a.id}",
      "${aws_subnet.network_private_b.id}",
    ]);
  });

  test("the replica's key is a rotating customer-managed key of the standby's region, whose ARN RDS returns (no alias, so no replacement on every plan)", () => {
    expect(resource(json, "aws_kms_key", "database_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resource(json, "aws_kms_key", "database_key").provider).toBeUndefined();
    expect(resource(json, "aws_kms_alias", "database_key_alias")).toMatchObject({
      name: "alias/smh-dashboard-prod-dr-database",
      target_key_id: "${aws_kms_key.database_key.key_id}",
    });
  });

  test("GIVEN AWS-managed keys elsewhere WHEN the standby has a replica THEN it still gets its own key: an AWS-managed key has no ARN known offline", () => {
    const off = drStack({ encryption: { customerManagedKeys: false } });
    expect(resource(off, "aws_db_instance", "replica").kms_key_id).toBe("${aws_kms_key.database_key.arn}");
  });

  test("a read replica takes no final snapshot (RDS refuses one when deleting it); promoted, it keeps one", () => {
    expect(resource(json, "aws_db_instance", "replica")).toMatchObject({ skip_final_snapshot: true, deletion_protection: true });
    expect(resource(json, "aws_db_instance", "replica").final_snapshot_identifier).toBeUndefined();
    const promoted = resource(drStack({ dr: { mode: "active" } }), "aws_db_instance", "replica");
    expect(promoted).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: "smh-dashboard-prod-dr-db-final" });
  });

  test("a ReplicaLag alarm tells the DR region's own alerts topic", () => {
    expect(resource(json, "aws_cloudwatch_metric_alarm", "replica_lag")).toMatchObject({
      metric_name: "ReplicaLag",
      namespace: "AWS/RDS",
      threshold: 900,
      dimensions: { DBInstanceIdentifier: "${aws_db_instance.replica.identifier}" },
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
      treat_missing_data: "breaching",
    });
    expect(resource(json, "aws_sns_topic", "alerts").name).toBe("smh-dashboard-prod-dr-alerts");
  });

  test("its own network over two zones of the DR region, not overlapping prod's; NAT once it serves, none in a pilot light", () => {
    expect(resource(json, "aws_vpc", "network_vpc").cidr_block).toBe("10.1.0.0/16");
    expect(
      [resource(json, "aws_subnet", "network_private_a"), resource(json, "aws_subnet", "network_private_b")].map((s) => [s.availability_zone, s.cidr_block]),
    ).toEqual([
      ["us-west-2a", "10.1.10.0/24"],
      ["us-west-2b", "10.1.11.0/24"],
    ]);
    expect(resourcesOf(drStack({ dr: { mode: "pilot-light" } }), "aws_nat_gateway")).toEqual({});
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway")).sort()).toEqual(["network_nat_a", "network_nat_b"]);
  });

  test("active (after a failover): the replica is promoted, keeps backups, and has no lag to watch", () => {
    const active = drStack({ dr: { mode: "active" } });
    const db = resource(active, "aws_db_instance", "replica");
    expect(db.replicate_source_db).toBeUndefined();
    expect(db.backup_retention_period).toBe(7);
    expect(resourcesOf(active, "aws_cloudwatch_metric_alarm").replica_lag).toBeUndefined();
  });

  test("dev has no standby; prod's comes with the committed settings", () => {
    expect(configOf("dev").dr.enabled).toBe(false);
    expect(configOf("prod").dr).toMatchObject({ enabled: true, mode: "warm-standby", databaseReplica: true });
  });
});

describe("the standby serves like the primary, from the DR region's copies", () => {
  const prod = synthEnvironment("prod").json;
  const container = (j: TerraformJson) => {
    const defs: string = resource(j, "aws_ecs_task_definition", "app_task_definition").container_definitions;
    return defs;
  };
  const statements = (j: TerraformJson, role: string) =>
    j.data!.aws_iam_policy_document[`app_${role}_role_permissions`].statement as {
      sid: string;
      actions: string[];
      resources: string[];
      condition?: unknown[];
    }[];

  test("the same task shape as prod, with the image ECR replicates to the DR region", () => {
    const [standby, primary] = [json, prod].map((j) => resource(j, "aws_ecs_task_definition", "app_task_definition"));
    expect({ cpu: standby.cpu, memory: standby.memory, runtime_platform: standby.runtime_platform }).toEqual({
      cpu: primary.cpu,
      memory: primary.memory,
      runtime_platform: primary.runtime_platform,
    });
    expect(container(json)).toContain('"image" = "123456789012.dkr.ecr.us-west-2.amazonaws.com/smh-dashboard-prod-dashboard:initial"');
    expect(statements(json, "execution").find((s) => s.sid === "PullDashboardImage")!.resources).toEqual([
      `${ARN}:ecr:us-west-2:123456789012:repository/smh-dashboard-prod-dashboard`,
    ]);
  });

  test("reads and writes the bucket replicas, with prod's DR key through S3 only", () => {
    expect(container(json)).toContain('{"name" = "MODELS_BUCKET", "value" = "smh-dashboard-prod-models-replica-us-west-2-123456789012"}');
    expect(container(json)).toContain('{"name" = "DATA_BUCKET", "value" = "smh-dashboard-prod-data-replica-us-west-2-123456789012"}');
    const task = statements(json, "task");
    expect(task.find((s) => s.sid === "ReadWriteObjects")!.resources).toEqual([
      `${ARN}:s3:::smh-dashboard-prod-models-replica-us-west-2-123456789012/*`,
      `${ARN}:s3:::smh-dashboard-prod-data-replica-us-west-2-123456789012/*`,
    ]);
    expect(task.find((s) => s.sid === "UseBucketKeys")).toEqual({
      sid: "UseBucketKeys",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [`${ARN}:kms:us-west-2:123456789012:key/*`],
      condition: [
        { test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: ["alias/smh-dashboard-prod-dr"] },
        { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-west-2.amazonaws.com"] },
      ],
    });
  });

  test("connects to the replica with IAM authentication: no secret from the primary region", () => {
    expect(container(json)).toContain('{"name" = "DB_HOST", "value" = aws_db_instance.replica.address}');
    expect(container(json)).toContain('{"name" = "DB_IAM_AUTH", "value" = "true"}');
    expect(container(json)).toContain('"secrets" = []');
    expect(statements(json, "task").find((s) => s.sid === "ConnectToStandbyDatabase")).toMatchObject({
      actions: ["rds-db:connect"],
      resources: [`${ARN}:rds-db:us-west-2:123456789012:dbuser:\${aws_db_instance.replica.resource_id}/dashboard_app`],
    });
    expect(resource(json, "aws_vpc_security_group_ingress_rule", "replica_security_group_postgres_from_tasks")).toMatchObject({
      from_port: 5432,
      referenced_security_group_id: "${aws_security_group.app_security_group.id}",
    });
  });

  test("an internal ALB behind a CloudFront VPC origin of its own, with access logs in a DR-region bucket; the outputs the failover origin needs", () => {
    expect(resource(json, "aws_lb", "load_balancer")).toMatchObject({
      internal: true,
      access_logs: { bucket: "${aws_s3_bucket.storage_logs.id}", enabled: true },
    });
    expect(resource(json, "aws_s3_bucket", "storage_logs").bucket).toBe("smh-dashboard-prod-logs-us-west-2-123456789012");
    expect(resource(json, "aws_cloudfront_vpc_origin", "cdn_alb_origin").vpc_origin_endpoint_config[0]).toMatchObject({
      arn: "${aws_lb.load_balancer.arn}",
      origin_protocol_policy: "http-only",
    });
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["alb_dns_name", "cloudfront_vpc_origin_id", "ecs_cluster_name", "db_endpoint"]));
  });

  test.each([
    ["pilot-light", 0, 0, 4, false],
    ["warm-standby", 1, 1, 4, true],
    ["active", 2, 1, 4, true],
  ] as const)("%s: %i task(s) desired, autoscaling %i-%i, alarms and dashboard: %s", (mode, desired, min, max, monitored) => {
    const j = drStack({ dr: { mode } });
    expect(resource(j, "aws_ecs_service", "app_service").desired_count).toBe(desired);
    expect(resource(j, "aws_appautoscaling_target", "app_scaling_target")).toMatchObject({ min_capacity: min, max_capacity: max });
    expect(resourcesOf(j, "aws_cloudwatch_dashboard").monitoring_dashboard !== undefined).toBe(monitored);
  });
});

describe("CloudFront fails over to the standby", () => {
  const failoverOrigin = { vpcOriginId: "vo_0a1b2c3d4e5f", domainName: "internal-smh-dashboard-prod-dr-alb-1.us-west-2.elb.amazonaws.com" };
  const distribution = (prod: object) => resource(synthEnvironment("prod", { environments: { prod } }).json, "aws_cloudfront_distribution", "cdn");

  test("warm-standby: an origin group, prod's ALB first, the standby on 5xx; uploads (PUT) to prod's ALB alone", () => {
    const d = distribution({ dr: { mode: "warm-standby", failoverOrigin } });
    expect(d.origin_group).toEqual([
      { origin_id: "alb-failover", failover_criteria: { status_codes: [500, 502, 503, 504] }, member: [{ origin_id: "alb" }, { origin_id: "alb-standby" }] },
    ]);
    expect(d.origin.find((o: { origin_id: string }) => o.origin_id === "alb-standby")).toMatchObject({
      domain_name: failoverOrigin.domainName,
      vpc_origin_config: { vpc_origin_id: failoverOrigin.vpcOriginId },
    });
    expect(d.origin.find((o: { origin_id: string }) => o.origin_id === "alb")).toMatchObject({ connection_attempts: 2, connection_timeout: 5 });
    expect(d.default_cache_behavior).toMatchObject({ target_origin_id: "alb-failover", allowed_methods: ["GET", "HEAD", "OPTIONS"] });
    expect(d.ordered_cache_behavior[0]).toMatchObject({
      path_pattern: "/_stcore/upload_file/*",
      target_origin_id: "alb",
      allowed_methods: expect.arrayContaining(["PUT", "POST"]),
    });
  });

  test("without a standby origin (before the standby's first deploy, or a pilot light) there is no group and every method goes to the ALB", () => {
    const d = distribution({});
    expect(d.origin_group).toBeUndefined();
    expect(d.default_cache_behavior).toMatchObject({ target_origin_id: "alb", allowed_methods: expect.arrayContaining(["POST"]) });
  });
});

describe("the image in both regions", () => {
  /** Every stack of the app main.ts builds, for these settings over the committed ones. */
  function appStacks(settings: DeploymentSettings = {}): Record<string, TerraformJson> {
    return Object.fromEntries(stacksOfApp(settings));
  }

  const staging = { staging: { preset: "prod", acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } } } };

  test("GIVEN two environments with a standby WHEN synthesized THEN the account baseline holds the registry's one replication configuration, covering both repositories", () => {
    const stacks = appStacks({ environments: staging });
    expect(resource(stacks.baseline, "aws_ecr_replication_configuration", "ecr_replication").replication_configuration).toEqual({
      rule: [
        {
          destination: [{ region: "us-west-2", registry_id: "123456789012" }],
          repository_filter: [
            { filter: "smh-dashboard-prod-dashboard", filter_type: "PREFIX_MATCH" },
            { filter: "smh-dashboard-staging-dashboard", filter_type: "PREFIX_MATCH" },
          ],
        },
      ],
    });
    const elsewhere = Object.entries(stacks).filter(
      ([name, json]) => name !== "baseline" && Object.keys(resourcesOf(json, "aws_ecr_replication_configuration")).length > 0,
    );
    expect(elsewhere).toEqual([]);
  });

  test("GIVEN no environment with a standby WHEN synthesized THEN nothing replicates images", () => {
    expect(resourcesOf(appStacks({ environments: { prod: { dr: { enabled: false } } } }).baseline, "aws_ecr_replication_configuration")).toEqual({});
  });

  test("GIVEN the baseline switched off WHEN an environment has a standby THEN the settings are refused with the fix", () => {
    expect(() => resolveDeployment([COMMITTED, { baseline: { enabled: false } }])).toThrow(
      /baseline.enabled is false while environment "prod" has dr.enabled: the baseline stack holds the registry's one ECR replication configuration, which copies the image to us-west-2 for the standby\. Fix: set baseline.enabled to true and switch off the services your organization already runs/,
    );
  });
});

describe("GuardDuty's agent in both regions' tasks", () => {
  /** Every stack of the app main.ts builds, for these settings over the committed ones. */
  function appStacks(settings: DeploymentSettings = {}): Record<string, TerraformJson> {
    return Object.fromEntries(stacksOfApp(settings));
  }
  const agentPull = (j: TerraformJson) =>
    (j.data!.aws_iam_policy_document.app_execution_role_permissions.statement as { sid: string }[]).find((s) => s.sid === "PullGuardDutyAgent");
  const agentIn = (region: string, account: string) => ({
    sid: "PullGuardDutyAgent",
    effect: "Allow",
    actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
    resources: [`${ARN}:ecr:${region}:${account}:repository/aws-guardduty-agent-fargate`],
  });

  test("GIVEN the baseline's GuardDuty manages the Fargate agent WHEN synthesized THEN each execution role may pull it in its own region: the environments' in us-east-1, prod's standby's in us-west-2", () => {
    const stacks = appStacks();
    expect(agentPull(stacks.dev)).toEqual(agentIn("us-east-1", "593207742271"));
    expect(agentPull(stacks.prod)).toEqual(agentIn("us-east-1", "593207742271"));
    expect(agentPull(stacks["prod-dr"])).toEqual(agentIn("us-west-2", "733349766148"));
  });

  test.each([{ guardDuty: false }, { enabled: false, guardDuty: true }])(
    "GIVEN baseline %j (no agent management) WHEN synthesized THEN no execution role pulls GuardDuty's agent",
    (baseline) => {
      const stacks = appStacks({ baseline, environments: { prod: { dr: { enabled: false } } } });
      expect(agentPull(stacks.dev)).toBeUndefined();
      expect(agentPull(stacks.prod)).toBeUndefined();
    },
  );

  test("GIVEN a DR region where AWS documents no agent repository WHEN the baseline's GuardDuty manages the agent THEN the settings are refused with the fix", () => {
    const china = { region: "cn-north-1", stateRegion: "cn-northwest-1", availabilityZones: ["cn-north-1a", "cn-north-1b"] };
    const newZealand = { stateRegion: "ap-southeast-6", environments: { prod: { dr: { availabilityZones: ["ap-southeast-6a", "ap-southeast-6b"] } } } };
    expect(() => resolveDeployment([COMMITTED, newZealand])).toThrow(
      /baseline.guardDuty is true, but AWS documents no repository of GuardDuty's ECS Fargate agent in ap-southeast-6 \(the DR region \(stateRegion\) of environment "prod"'s standby\), so the tasks could not pull the agent GuardDuty adds to them\. Fix: set baseline.guardDuty to false/,
    );
    expect(() => resolveDeployment([COMMITTED, { ...china, environments: { prod: { dr: { enabled: false } } } }])).toThrow(
      /in cn-north-1 \(the environments' region\)/,
    );
  });

  test("GIVEN every region the settings accept WHEN looked up THEN src/aws/guardduty-agent.ts has a row for it, an account or null", () => {
    const regions = Object.values(PARTITIONS).flatMap((r) => Object.keys(r));
    expect(Object.keys(GUARDDUTY_FARGATE_AGENT_ACCOUNTS).sort()).toEqual([...regions].sort());
    expect(Object.values(GUARDDUTY_FARGATE_AGENT_ACCOUNTS).filter((a) => a !== null && !/^\d{12}$/.test(a))).toEqual([]);
  });
});

describe("settings the standby refuses", () => {
  const refused = (prod: object, message: RegExp) => expect(() => configOf("prod", { environments: { prod } })).toThrow(message);

  test("a DR network overlapping the primary's", () => {
    refused({ dr: { vpcCidr: "10.0.0.0/16" } }, /environment "prod": dr.vpcCidr "10.0.0.0\/16" overlaps network.vpcCidr "10.0.0.0\/16"/);
  });

  test("zones that are not the DR region's", () => {
    refused({ dr: { availabilityZones: ["us-east-1a", "us-west-2b"] } }, /dr.availabilityZones\[0\] "us-east-1a" is not a zone of the DR region us-west-2/);
  });

  test("active or warm-standby without the replica where there is a database", () => {
    refused(
      { dr: { mode: "active", databaseReplica: false } },
      /dr.mode is "active" but dr.databaseReplica is false while the environment has a database: there is no replica to promote/,
    );
    refused({ dr: { mode: "warm-standby", databaseReplica: false } }, /the standby would serve without its data/);
  });

  test("subnets outside the DR VPC", () => {
    refused({ dr: { privateSubnetCidrs: ["10.1.10.0/24", "10.2.11.0/24"] } }, /dr.privateSubnetCidrs\[1\] "10.2.11.0\/24" is not inside dr.vpcCidr/);
  });

  test("a standby without the bucket replicas, or without a certificate for HTTPS", () => {
    refused({ storage: { replicateData: false } }, /storage.replicateData is false while dr.enabled: the standby reads the data bucket's replica in us-west-2/);
    refused(
      { loadBalancer: { httpsEnabled: true, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" } },
      /dr.certificateArn is required when loadBalancer.httpsEnabled is true. Fix: set it to an ACM certificate ARN in us-west-2/,
    );
    refused(
      { dr: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" } },
      /dr.certificateArn is in region us-east-1; the standby ALB needs a certificate in us-west-2/,
    );
  });

  test("failing over to a pilot light that runs no task", () => {
    refused(
      { dr: { mode: "pilot-light", failoverOrigin: { vpcOriginId: "vo_abc", domainName: "x.elb.amazonaws.com" } } },
      /dr.failoverOrigin is set while dr.mode is "pilot-light"/,
    );
  });

  test("the DR region equal to the primary (stateRegion is the DR region)", () => {
    expect(() => configOf("prod", { ...COMMITTED, stateRegion: "us-east-1" })).toThrow(/stateRegion "us-east-1" equals region/);
  });
});
