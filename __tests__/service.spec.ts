/**
 * The Service alone in a bare stack, with explicit props (the presets' sizes, counts, thresholds
 * and retentions are config.spec's); how the environment stack wires it is in the last block.
 */
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { Testing } from "cdktf";
import type { ServiceProps } from "../src/constructs/service";
import { ARN, configOf, policyDocument, resource, synthEnvironment, type TerraformJson } from "./helpers";
import { bareService, bareStack } from "./bare-stack";

/** The service of bareService in a bare stack; `props` and `targetProtocol` as there. */
function service(props: Partial<ServiceProps> = {}, targetProtocol: "HTTP" | "HTTPS" = "HTTP"): { synthesized: string; json: TerraformJson } {
  const bare = bareStack("test");
  bareService(bare, props, targetProtocol);
  const synthesized = Testing.synth(bare.stack);
  return { synthesized, json: JSON.parse(synthesized) };
}

/** The container definitions of a synthesized task definition (a `jsonencode(...)` expression). */
function containerOf(json: TerraformJson): string {
  return resource(json, "aws_ecs_task_definition", "app_task_definition").container_definitions as string;
}

const MODELS = `${ARN}:s3:::smh-dashboard-test-models`;
const DATA = `${ARN}:s3:::smh-dashboard-test-data`;

/** The service as built by default, shared by the blocks that read it. */
const { synthesized, json } = service();

describe("Service", () => {
  test("cluster has Container Insights on", () => {
    expect(synthesized).toHaveResourceWithProperties(EcsCluster, {
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
  });

  test("task definition: Fargate, awsvpc, cpu and memory, both roles", () => {
    expect(resource(json, "aws_ecs_task_definition", "app_task_definition")).toMatchObject({
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      cpu: "1024",
      memory: "2048",
      execution_role_arn: "${aws_iam_role.app_execution_role.arn}",
      task_role_arn: "${aws_iam_role.app_task_role.arn}",
      volume: [{ name: "tmp" }, { name: "home" }],
    });
  });

  test("GIVEN cpuArchitecture WHEN built THEN the task definition's runtime platform names it: Linux on X86_64 by default, on ARM64 (Graviton) when asked", () => {
    expect(resource(json, "aws_ecs_task_definition", "app_task_definition").runtime_platform).toEqual({
      operating_system_family: "LINUX",
      cpu_architecture: "X86_64",
    });
    expect(resource(service({ cpuArchitecture: "ARM64" }).json, "aws_ecs_task_definition", "app_task_definition").runtime_platform).toEqual({
      operating_system_family: "LINUX",
      cpu_architecture: "ARM64",
    });
  });

  test("container: the registry's image at imageTag, containerPort, read-only root with writable /tmp and home, awslogs", () => {
    const container = containerOf(json);
    expect(container).toContain('"image" = "${aws_ecr_repository.registry.repository_url}:3f2a1b9c"');
    expect(container).toContain('"portMappings" = [{"containerPort" = 8501, "protocol" = "tcp"}]');
    expect(container).toContain('"readonlyRootFilesystem" = true');
    expect(container).toContain('{"sourceVolume" = "tmp", "containerPath" = "/tmp", "readOnly" = false}');
    expect(container).toContain('{"sourceVolume" = "home", "containerPath" = "/home/app", "readOnly" = false}');
    expect(container).toContain('"logDriver" = "awslogs"');
    expect(container).toContain('"awslogs-group" = aws_cloudwatch_log_group.app_logs.name');
    expect(container).not.toContain(":latest");
  });

  test("container environment names the buckets, region and metric namespace", () => {
    const container = containerOf(json);
    expect(container).toContain('{"name" = "MODELS_BUCKET", "value" = "smh-dashboard-test-models"}');
    expect(container).toContain('{"name" = "DATA_BUCKET", "value" = "smh-dashboard-test-data"}');
    expect(container).toContain('{"name" = "AWS_REGION", "value" = "us-east-1"}');
    expect(container).toContain('{"name" = "METRICS_NAMESPACE", "value" = "TestNamespace"}');
  });

  test("the tasks learn where their certificate is only when the ALB reaches them over HTTPS", () => {
    expect(containerOf(json)).not.toContain("STREAMLIT_SERVER_SSL");
    const https = containerOf(service({}, "HTTPS").json);
    expect(https).toContain('{"name" = "STREAMLIT_SERVER_SSL_CERT_FILE", "value" = "/etc/dashboard/tls/cert.pem"}');
  });

  test("log group kept logRetentionDays", () => {
    expect(resource(json, "aws_cloudwatch_log_group", "app_logs").retention_in_days).toBe(14);
  });

  test("service: desiredCount tasks in the private subnets without public IPs, behind the target group on containerPort", () => {
    expect(synthesized).toHaveResourceWithProperties(EcsService, {
      desired_count: 3,
      network_configuration: {
        subnets: ["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"],
        security_groups: ["${aws_security_group.app_security_group.id}"],
        assign_public_ip: false,
      },
      load_balancer: [{ target_group_arn: "${aws_lb_target_group.load_balancer_app.arn}", container_name: "dashboard", container_port: 8501 }],
    });
  });

  test("service: circuit breaker with rollback, 100/200 deployment, the grace period, desired count left to autoscaling", () => {
    expect(resource(json, "aws_ecs_service", "app_service")).toMatchObject({
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      health_check_grace_period_seconds: 90,
      lifecycle: { ignore_changes: ["desired_count"] },
    });
  });

  test("Fargate Spot off: all on Fargate; on: one task stays on Fargate", () => {
    expect(resource(json, "aws_ecs_service", "app_service").capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", weight: 1 }]);
    const spot = service({ fargateSpot: true }).json;
    expect(resource(spot, "aws_ecs_service", "app_service").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 1, weight: 0 },
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
  });

  test("GIVEN Fargate Spot with an on-demand base of 0 THEN no task is kept on regular Fargate (a sandbox accepts the interruptions)", () => {
    const spot = service({ fargateSpot: true, fargateOnDemandBase: 0 }).json;
    expect(resource(spot, "aws_ecs_service", "app_service").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 0, weight: 0 },
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
  });

  test("GIVEN Fargate Spot WHEN the on-demand base covers maxCount THEN it is refused: no task would run on Spot", () => {
    expect(() => service({ fargateSpot: true, fargateOnDemandBase: 6 })).toThrow(
      /fargateOnDemandBase 6 keeps every task \(at most maxCount 6\) on regular Fargate.*Fix: set fargateOnDemandBase below 6/,
    );
  });

  test("GIVEN assignPublicIp THEN the tasks run in the public subnets with a public address (no NAT or endpoints needed)", () => {
    const open = service({ assignPublicIp: true }).json;
    expect(resource(open, "aws_ecs_service", "app_service").network_configuration).toMatchObject({
      assign_public_ip: true,
      subnets: ["${aws_subnet.network_public_a.id}", "${aws_subnet.network_public_b.id}"],
    });
  });

  test("a desiredCount outside minCount..maxCount is refused", () => {
    expect(() => service({ desiredCount: 7 })).toThrow(/desiredCount 7 is outside the autoscaling range 2..6/);
  });
});

describe("Autoscaling", () => {
  test("minCount to maxCount tasks", () => {
    expect(resource(json, "aws_appautoscaling_target", "app_scaling_target")).toMatchObject({
      min_capacity: 2,
      max_capacity: 6,
      scalable_dimension: "ecs:service:DesiredCount",
    });
  });

  test.each([
    ["app_cpu_high", "CPUUtilization", 65, "app_scale_out_cpu"],
    ["app_memory_high", "MemoryUtilization", 75, "app_scale_out_memory"],
  ])("%s: %s above %d%% for scaleOutSeconds (120 s) adds one task, then waits scaleOutCooldownSeconds", (alarm, metric, threshold, policy) => {
    expect(resource(json, "aws_cloudwatch_metric_alarm", alarm)).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: metric,
      threshold,
      comparison_operator: "GreaterThanThreshold",
      period: 60,
      evaluation_periods: 2,
      alarm_actions: [`\${aws_appautoscaling_policy.${policy}.arn}`],
    });
    expect(resource(json, "aws_appautoscaling_policy", policy).step_scaling_policy_configuration).toMatchObject({
      adjustment_type: "ChangeInCapacity",
      cooldown: 90,
      step_adjustment: [{ scaling_adjustment: 1, metric_interval_lower_bound: "0" }],
    });
  });

  test("one scale-in alarm removes a task only when CPU and memory are both low for scaleInSeconds (600 s)", () => {
    const alarm = resource(json, "aws_cloudwatch_metric_alarm", "app_scale_in_alarm");
    expect(alarm).toMatchObject({
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluation_periods: 10,
      datapoints_to_alarm: 10,
      alarm_actions: ["${aws_appautoscaling_policy.app_scale_in.arn}"],
    });
    expect(alarm.metric_query).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "both_low", return_data: true, expression: "IF(cpu < 25 AND memory < 35, 1, 0)" }),
        expect.objectContaining({ id: "cpu", metric: expect.objectContaining({ metric_name: "CPUUtilization", period: 60 }) }),
        expect.objectContaining({ id: "memory", metric: expect.objectContaining({ metric_name: "MemoryUtilization", period: 60 }) }),
      ]),
    );
    expect(resource(json, "aws_appautoscaling_policy", "app_scale_in").step_scaling_policy_configuration).toMatchObject({
      cooldown: 400,
      step_adjustment: [{ scaling_adjustment: -1, metric_interval_lower_bound: "0" }],
    });
  });
});

describe("IAM roles of the service", () => {
  const actionsOf = (doc: string) =>
    policyDocument(json, doc)
      .statement.flatMap((s) => s.actions)
      .sort();

  test.each(["app_execution_role_trust", "app_task_role_trust"])("%s: only ECS tasks of this account", (doc) => {
    expect(policyDocument(json, doc).statement).toEqual([
      expect.objectContaining({
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [`${ARN}:ecs:us-east-1:123456789012:*`] },
        ],
      }),
    ]);
  });

  test("execution role: pull this repository's images, write this log group", () => {
    expect(actionsOf("app_execution_role_permissions")).toEqual(
      [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ].sort(),
    );
    const statements = policyDocument(json, "app_execution_role_permissions").statement;
    expect(statements.find((s) => s.sid === "PullDashboardImage").resources).toEqual(["${aws_ecr_repository.registry.arn}"]);
    expect(statements.find((s) => s.sid === "WriteContainerLogs").resources).toEqual(["${aws_cloudwatch_log_group.app_logs.arn}:*"]);
  });

  test("task role: read/write the models and data buckets only, with their key, metrics only in metricNamespace", () => {
    const statements = policyDocument(json, "app_task_role_permissions").statement;
    expect(statements.map((s) => s.sid)).toEqual(["ListBuckets", "ReadWriteObjects", "UseBucketKeys", "PublishAppMetrics"]);
    expect(statements.find((s) => s.sid === "ReadWriteObjects")).toMatchObject({
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: [`${MODELS}/*`, `${DATA}/*`],
    });
    expect(statements.find((s) => s.sid === "ListBuckets").resources).toEqual([MODELS, DATA]);
    expect(statements.find((s) => s.sid === "PublishAppMetrics")).toMatchObject({
      actions: ["cloudwatch:PutMetricData"],
      condition: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["TestNamespace"] }],
    });
  });

  test("neither role's permissions grant a wildcard action", () => {
    const allowed = ["app_execution_role_permissions", "app_task_role_permissions"].flatMap((doc) =>
      policyDocument(json, doc)
        .statement.filter((s) => s.effect === "Allow")
        .flatMap((s) => s.actions ?? []),
    );
    expect(allowed.filter((a: string) => a.includes("*"))).toEqual([]);
  });
});

describe("GuardDuty's agent in the tasks", () => {
  /** The execution role's statements of a service in `region` with `props`. */
  function executionStatements(props: Partial<ServiceProps>, region = "us-east-1"): { sid: string; actions: string[]; resources: string[] }[] {
    const bare = bareStack("test", region);
    bareService(bare, props);
    return policyDocument(bare.synth(), "app_execution_role_permissions").statement;
  }

  test.each([
    ["us-east-1", "593207742271"],
    ["us-west-2", "733349766148"],
    ["us-gov-west-1", "383110348953"],
  ])(
    "GIVEN guardDutyAgent in %s WHEN synthesized THEN the execution role may pull the agent from GuardDuty's repository there (account %s)",
    (region, account) => {
      expect(executionStatements({ guardDutyAgent: true }, region).find((s) => s.sid === "PullGuardDutyAgent")).toEqual({
        sid: "PullGuardDutyAgent",
        effect: "Allow",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        resources: [`${ARN}:ecr:${region}:${account}:repository/aws-guardduty-agent-fargate`],
      });
    },
  );

  test("GIVEN no guardDutyAgent WHEN synthesized THEN the execution role pulls only the app's image", () => {
    expect(executionStatements({}).map((s) => s.sid)).not.toContain("PullGuardDutyAgent");
  });

  test("GIVEN guardDutyAgent in a region without GuardDuty's agent repository WHEN built THEN it is refused with the fix", () => {
    expect(() => executionStatements({ guardDutyAgent: true }, "cn-north-1")).toThrow(
      /app: guardDutyAgent is true, but AWS documents no repository of GuardDuty's ECS Fargate agent in cn-north-1 \(the service's region\).*Fix: set guardDutyAgent to false/,
    );
  });
});

describe("the environment stack's service", () => {
  const { json } = synthEnvironment("prod");
  const prod = configOf("prod").service;

  test("takes the service settings: sizes, counts, grace period, retention, image tag", () => {
    expect(resource(json, "aws_ecs_task_definition", "app_task_definition")).toMatchObject({ cpu: String(prod.cpu), memory: String(prod.memory) });
    expect(resource(json, "aws_ecs_service", "app_service")).toMatchObject({
      desired_count: prod.desiredCount,
      health_check_grace_period_seconds: prod.healthCheckGracePeriodSeconds,
    });
    expect(resource(json, "aws_appautoscaling_target", "app_scaling_target")).toMatchObject({ min_capacity: prod.minCount, max_capacity: prod.maxCount });
    expect(resource(json, "aws_cloudwatch_log_group", "app_logs").retention_in_days).toBe(prod.logRetentionDays);
    expect(containerOf(json)).toContain(`"image" = "\${aws_ecr_repository.registry.repository_url}:${prod.imageTag}"`);
  });

  test("container environment names the environment's buckets, region and metric namespace", () => {
    const container = containerOf(json);
    expect(container).toContain('{"name" = "MODELS_BUCKET", "value" = aws_s3_bucket.storage_models.bucket}');
    expect(container).toContain('{"name" = "DATA_BUCKET", "value" = aws_s3_bucket.storage_data.bucket}');
    expect(container).toContain('{"name" = "AWS_REGION", "value" = "us-east-1"}');
    expect(container).toContain('{"name" = "METRICS_NAMESPACE", "value" = "StudentMHDashboard"}');
  });

  test("with a database, the execution role reads its secret too", () => {
    const actions = policyDocument(json, "app_execution_role_permissions").statement.flatMap((s) => s.actions);
    expect(actions).toEqual(expect.arrayContaining(["secretsmanager:GetSecretValue", "kms:Decrypt"]));
  });

  test("task role: the environment's models and data buckets", () => {
    const statements = policyDocument(json, "app_task_role_permissions").statement;
    expect(statements.map((s) => s.sid)).toEqual(["ListBuckets", "ReadWriteObjects", "UseBucketKeys", "PublishAppMetrics"]);
    expect(statements.find((s) => s.sid === "ReadWriteObjects").resources).toEqual([
      "${aws_s3_bucket.storage_models.arn}/*",
      "${aws_s3_bucket.storage_data.arn}/*",
    ]);
    expect(statements.find((s) => s.sid === "ListBuckets").resources).toEqual(["${aws_s3_bucket.storage_models.arn}", "${aws_s3_bucket.storage_data.arn}"]);
  });

  test("no role's permissions grant a wildcard action", () => {
    const documents = Object.entries(json.data?.aws_iam_policy_document ?? {})
      .filter(([name]) => name.endsWith("_permissions"))
      .map(([, doc]) => doc) as { statement: { actions?: string[]; effect: string }[] }[];
    expect(documents.length).toBeGreaterThanOrEqual(4);
    const allowed = documents.flatMap((d) => d.statement.filter((s) => s.effect === "Allow").flatMap((s) => s.actions ?? []));
    expect(allowed.filter((a) => a.includes("*"))).toEqual([]);
  });
});
