import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { ARN, policyDocument, resource, synthEnvironment } from "./helpers";

/** The container definitions of a synthesized task definition (a `jsonencode(...)` expression). */
function containerOf(json: ReturnType<typeof synthEnvironment>["json"]): string {
  return resource(json, "aws_ecs_task_definition", "app_task_definition").container_definitions as string;
}

describe("Service", () => {
  const { synthesized, json } = synthEnvironment("prod");

  test("cluster has Container Insights on", () => {
    expect(synthesized).toHaveResourceWithProperties(EcsCluster, {
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
  });

  test("task definition: Fargate, awsvpc, 512 CPU, 1024 MB, both roles", () => {
    expect(resource(json, "aws_ecs_task_definition", "app_task_definition")).toMatchObject({
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      cpu: "512",
      memory: "1024",
      execution_role_arn: "${aws_iam_role.app_execution_role.arn}",
      task_role_arn: "${aws_iam_role.app_task_role.arn}",
      volume: [{ name: "tmp" }, { name: "home" }],
    });
  });

  test("container: ECR image at the configured tag, port 8501, read-only root with writable /tmp and home, awslogs", () => {
    const container = containerOf(synthEnvironment("prod", { service: { imageTag: "3f2a1b9c" } }).json);
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
    expect(container).toContain('{"name" = "MODELS_BUCKET", "value" = aws_s3_bucket.storage_models.bucket}');
    expect(container).toContain('{"name" = "DATA_BUCKET", "value" = aws_s3_bucket.storage_data.bucket}');
    expect(container).toContain('{"name" = "AWS_REGION", "value" = "us-east-1"}');
    expect(container).toContain('{"name" = "METRICS_NAMESPACE", "value" = "StudentMHDashboard"}');
  });

  test("log group retention follows the environment (prod 365, dev 30)", () => {
    expect(resource(json, "aws_cloudwatch_log_group", "app_logs").retention_in_days).toBe(365);
    expect(resource(synthEnvironment("dev").json, "aws_cloudwatch_log_group", "app_logs").retention_in_days).toBe(30);
  });

  test("service: 2 tasks in the private subnets without public IPs, behind the target group on 8501", () => {
    expect(synthesized).toHaveResourceWithProperties(EcsService, {
      desired_count: 2,
      network_configuration: {
        subnets: ["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"],
        security_groups: ["${aws_security_group.app_security_group.id}"],
        assign_public_ip: false,
      },
      load_balancer: [
        { target_group_arn: "${aws_lb_target_group.load_balancer_app.arn}", container_name: "dashboard", container_port: 8501 },
      ],
    });
  });

  test("service: circuit breaker with rollback, 100/200 deployment, grace period, desired count left to autoscaling", () => {
    expect(resource(json, "aws_ecs_service", "app_service")).toMatchObject({
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      health_check_grace_period_seconds: 120,
      lifecycle: { ignore_changes: ["desired_count"] },
    });
  });

  test("Fargate Spot is off by default and one task stays on Fargate when it is on", () => {
    expect(resource(json, "aws_ecs_service", "app_service").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", weight: 1 },
    ]);
    const spot = synthEnvironment("dev", { service: { fargateSpot: true } }).json;
    expect(resource(spot, "aws_ecs_service", "app_service").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 1, weight: 0 },
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
  });
});

describe("Autoscaling", () => {
  const { json } = synthEnvironment("prod");

  test("1 to 4 tasks", () => {
    expect(resource(json, "aws_appautoscaling_target", "app_scaling_target")).toMatchObject({
      min_capacity: 1,
      max_capacity: 4,
      scalable_dimension: "ecs:service:DesiredCount",
    });
  });

  test.each([
    ["app_cpu_high", "CPUUtilization", 70, "app_scale_out_cpu"],
    ["app_memory_high", "MemoryUtilization", 80, "app_scale_out_memory"],
  ])("%s: %s above %d%% for 60 s adds one task", (alarm, metric, threshold, policy) => {
    expect(resource(json, "aws_cloudwatch_metric_alarm", alarm)).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: metric,
      threshold,
      comparison_operator: "GreaterThanThreshold",
      period: 60,
      evaluation_periods: 1,
      alarm_actions: [`\${aws_appautoscaling_policy.${policy}.arn}`],
    });
    expect(resource(json, "aws_appautoscaling_policy", policy).step_scaling_policy_configuration).toMatchObject({
      adjustment_type: "ChangeInCapacity",
      cooldown: 60,
      step_adjustment: [{ scaling_adjustment: 1, metric_interval_lower_bound: "0" }],
    });
  });

  test("one scale-in alarm removes a task only when CPU < 30% and memory < 40% for 300 s", () => {
    const alarm = resource(json, "aws_cloudwatch_metric_alarm", "app_scale_in_alarm");
    expect(alarm).toMatchObject({
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluation_periods: 5,
      datapoints_to_alarm: 5,
      alarm_actions: ["${aws_appautoscaling_policy.app_scale_in.arn}"],
    });
    expect(alarm.metric_query).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "both_low", return_data: true, expression: "IF(cpu < 30 AND memory < 40, 1, 0)" }),
        expect.objectContaining({ id: "cpu", metric: expect.objectContaining({ metric_name: "CPUUtilization", period: 60 }) }),
        expect.objectContaining({ id: "memory", metric: expect.objectContaining({ metric_name: "MemoryUtilization", period: 60 }) }),
      ]),
    );
    expect(resource(json, "aws_appautoscaling_policy", "app_scale_in").step_scaling_policy_configuration).toMatchObject({
      cooldown: 300,
      step_adjustment: [{ scaling_adjustment: -1, metric_interval_lower_bound: "0" }],
    });
  });

  test("scale-in thresholds must be below scale-out thresholds", () => {
    expect(() => synthEnvironment("dev", { service: { scaling: { cpuLowPercent: 75 } } })).toThrow(
      /service.scaling.cpuLowPercent 75 is not below service.scaling.cpuHighPercent 70/,
    );
  });
});

describe("IAM roles of the service", () => {
  const { json } = synthEnvironment("prod");
  const actionsOf = (doc: string) => policyDocument(json, doc).statement.flatMap((s) => s.actions).sort();

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

  test("execution role: pull this repository's images, write this log group (and, with a database, read its secret)", () => {
    expect(actionsOf("app_execution_role_permissions")).toEqual(
      [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
      ].sort(),
    );
    const statements = policyDocument(json, "app_execution_role_permissions").statement;
    expect(statements.find((s) => s.sid === "PullDashboardImage").resources).toEqual(["${aws_ecr_repository.registry.arn}"]);
    expect(statements.find((s) => s.sid === "WriteContainerLogs").resources).toEqual(["${aws_cloudwatch_log_group.app_logs.arn}:*"]);
  });

  test("task role: read/write the models and data buckets only, metrics only in the app's namespace", () => {
    const statements = policyDocument(json, "app_task_role_permissions").statement;
    expect(statements.map((s) => s.sid)).toEqual(["ListBuckets", "ReadWriteObjects", "UseBucketKeys", "PublishAppMetrics"]);
    expect(statements.find((s) => s.sid === "ReadWriteObjects")).toMatchObject({
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: ["${aws_s3_bucket.storage_models.arn}/*", "${aws_s3_bucket.storage_data.arn}/*"],
    });
    expect(statements.find((s) => s.sid === "ListBuckets").resources).toEqual([
      "${aws_s3_bucket.storage_models.arn}",
      "${aws_s3_bucket.storage_data.arn}",
    ]);
    expect(statements.find((s) => s.sid === "PublishAppMetrics")).toMatchObject({
      actions: ["cloudwatch:PutMetricData"],
      condition: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["StudentMHDashboard"] }],
    });
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
