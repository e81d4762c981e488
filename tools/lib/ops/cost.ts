/**
 * Monthly cost of a synthesized stack, line by line, from its Terraform JSON and the usage
 * assumptions: what the stack creates decides the lines, so a change in the stack changes the
 * estimate.
 */
import { parseCronAt } from "../../../src/aws/schedules";
import { PRICES } from "./prices";
import { assertPriced } from "./resource-types";
import { plural } from "./words";

/** Monthly usage the estimate assumes (tools/lib/ops/usage.json). */
export interface Usage {
  s3StorageGb: number;
  logsIngestGb: number;
  dataTransferOutGb: number;
  natProcessedGb: number;
  albLcu: number;
  endpointProcessedGb: number;
  cloudfrontGbOut: number;
  cloudfrontRequestsMillions: number;
  /** CloudFront access logs delivered to the logs bucket, GB. */
  cloudfrontLogsGb: number;
  requestsMillions: number;
  flowLogsGb: number;
  ecrStorageGb: number;
  replicatedChangeGb: number;
  /** Data in an Aurora cluster (each region's copy is billed), GB. */
  auroraStorageGb: number;
  /** Aurora Standard read and write I/O requests, millions. */
  auroraIoMillions: number;
  /** The writes among them, which a global database replicates, millions. */
  auroraWriteIoMillions: number;
  /** How much of its ACU range a Serverless v2 instance uses on average (0-1). */
  auroraServerlessLoadFraction: number;
  guardDutyEventsMillions: number;
  configItems: number;
  configRuleEvaluations: number;
  s3DataEventsMillions: number;
  securityHubChecks: number;
}

/** Usage lines that grow with the number of users (the rest are storage or fixed). */
export const TRAFFIC_USAGE: readonly (keyof Usage)[] = [
  "logsIngestGb",
  "dataTransferOutGb",
  "natProcessedGb",
  "albLcu",
  "endpointProcessedGb",
  "cloudfrontGbOut",
  "cloudfrontRequestsMillions",
  "cloudfrontLogsGb",
  "requestsMillions",
  "s3DataEventsMillions",
  "auroraIoMillions",
  "auroraWriteIoMillions",
];

/** Usage lines that a region carries for the viewers it serves (CloudFront, WAF and the database's writer see all of them). */
export const REGIONAL_TRAFFIC_USAGE: readonly (keyof Usage)[] = ["logsIngestGb", "natProcessedGb", "albLcu", "endpointProcessedGb"];

/** Usage with the regional traffic lines scaled by `share` (0-1): what one of two serving regions carries. */
export function shareOfTraffic(usage: Usage, share: number): Usage {
  return Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, REGIONAL_TRAFFIC_USAGE.includes(k as keyof Usage) ? v * share : v])) as unknown as Usage;
}

/** Usage for `users`, given usage per 100 users. */
export function scaleUsage(usage: Usage, users: number): Usage {
  const factor = users / 100;
  return Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, TRAFFIC_USAGE.includes(k as keyof Usage) ? v * factor : v])) as unknown as Usage;
}

/** The seed's "Cost Breakdown" rows (us-east-1, dev), $/month, and its total. */
export const SEED_ROWS: Readonly<Record<string, number>> = {
  "ECS Fargate": 30,
  "Application Load Balancer": 20,
  "NAT Gateways": 65,
  "S3 Storage": 1,
  "CloudWatch Logs": 5,
  "Data Transfer": 9,
};
export const SEED_TOTAL = 130;
/** What the seed adds for its optional parts, $/month. */
export const SEED_OPTIONAL: Readonly<Record<string, number>> = { RDS: 15, CloudFront: 20 };

export interface CostLine {
  /** Seed cost-table row this line corresponds to, or "extra" for what the seed's table lacks. */
  readonly group: string;
  readonly item: string;
  /** How it was computed, for the reader. */
  readonly basis: string;
  readonly monthly: number;
}

type Resources = Record<string, Record<string, Record<string, any>>>;

const H = PRICES.hoursPerMonth;
const count = (r: Resources, type: string) => Object.keys(r[type] ?? {}).length;
const all = (r: Resources, type: string) => Object.values(r[type] ?? {});
const money = (n: number) => Math.round(n * 100) / 100;

const HOURS_PER_WEEK = 7 * 24;

/**
 * Hours a month the stack's service runs: all of them, or with working hours (WorkingHours: a
 * scheduled action that scales to 0..0, the others that start it) the days' hours from the first
 * start to the stop, over the weeks of a month.
 */
export function serviceHours(json: { resource?: Resources }): { hours: number; basis: string } {
  const actions = all(json.resource ?? {}, "aws_appautoscaling_scheduled_action").map((a) => ({
    at: parseCronAt(a.schedule),
    stops: Number(a.scalable_target_action?.max_capacity) === 0,
    schedule: a.schedule as string,
  }));
  if (actions.length === 0) return { hours: H, basis: `${H} h` };
  const stop = actions.find((a) => a.stops);
  const starts = actions.filter((a) => !a.stops).sort((a, b) => (a.at?.minute ?? 0) - (b.at?.minute ?? 0));
  if (!stop?.at || !starts[0]?.at) {
    throw new Error(
      `the cost estimate cannot read the working hours of ${actions.map((a) => a.schedule).join(", ")}: it reads cron(M H ? * DAYS *) as WorkingHours writes it`,
    );
  }
  const daily = (stop.at.minute - starts[0].at.minute) / 60;
  const weekly = daily * stop.at.days.length;
  return { hours: (weekly * H) / HOURS_PER_WEEK, basis: `${money(daily)} h x ${stop.at.days.length} days a week (working hours)` };
}

/** vCPUs of the running Fargate tasks of a stack (desired count x task size), over the month's hours they run. */
export function fargateVcpus(json: { resource?: Resources }): number {
  const task = all(json.resource ?? {}, "aws_ecs_task_definition")[0];
  const share = serviceHours(json).hours / H;
  return all(json.resource ?? {}, "aws_ecs_service").reduce((n, s) => n + Number(s.desired_count ?? 0) * (task ? Number(task.cpu) / 1024 : 0) * share, 0);
}

/**
 * The cost lines of one environment stack. For a DR standby (`standby`), the data it serves is
 * the primary's bucket replicas, counted in the primary's estimate; an `idle` standby
 * (pilot-light, warm-standby) carries no traffic, so its ALB, NAT, endpoints and logs see none
 * of the usage's bytes; with `trafficShare` a region carries that part of the regional traffic
 * (both regions serving: the standby its share, the primary the rest)
 * of the usage's bytes; a `serving` one (active, after a failover) carries all of it.
 */
export function estimateEnvironment(
  json: { resource?: Resources },
  usage: Usage,
  options: { standby?: "idle" | "serving"; replicaStorageGb?: number; trafficShare?: number } = {},
): CostLine[] {
  assertPriced(json);
  if (options.trafficShare !== undefined) usage = shareOfTraffic(usage, options.trafficShare);
  if (options.standby) usage = { ...usage, s3StorageGb: 0 };
  if (options.standby === "idle") usage = { ...usage, albLcu: 0, natProcessedGb: 0, endpointProcessedGb: 0, logsIngestGb: 0 };
  const r = json.resource ?? {};
  const lines: CostLine[] = [];
  const add = (group: string, item: string, basis: string, monthly: number) => {
    if (monthly > 0) lines.push({ group, item, basis, monthly: money(monthly) });
  };

  // Fargate: every service's desired tasks at its task definition's size and architecture, in the hours it runs.
  const running = serviceHours(json);
  for (const service of all(r, "aws_ecs_service")) {
    const task = all(r, "aws_ecs_task_definition")[0];
    if (!task) continue;
    const vcpu = Number(task.cpu) / 1024;
    const gb = Number(task.memory) / 1024;
    const arm = task.runtime_platform?.cpu_architecture === "ARM64";
    const rate = arm ? PRICES.fargate.arm : PRICES.fargate;
    const tasks = Number(service.desired_count ?? 0);
    const strategy: { capacity_provider: string; base?: number; weight?: number }[] = service.capacity_provider_strategy ?? [];
    const spot = strategy.find((s) => s.capacity_provider === "FARGATE_SPOT" && (s.weight ?? 0) > 0);
    const onDemandBase = strategy.find((s) => s.capacity_provider === "FARGATE")?.base ?? 0;
    const spotTasks = spot ? Math.max(0, tasks - onDemandBase) : 0;
    const perTask = (vcpu * rate.vcpuHour + gb * rate.gbHour) * running.hours;
    add(
      "ECS Fargate",
      "Fargate tasks",
      `${tasks} x (${vcpu} vCPU + ${gb} GB${arm ? ", ARM64" : ""}) x ${running.basis}${spotTasks ? `, ${spotTasks} on Spot (-${PRICES.fargate.spotDiscount * 100}%)` : ""}`,
      perTask * (tasks - spotTasks) + perTask * spotTasks * (1 - PRICES.fargate.spotDiscount),
    );
  }

  const albs = count(r, "aws_lb");
  add(
    "Application Load Balancer",
    "ALB hours + LCU",
    `${albs} x ${H} h + ${usage.albLcu} LCU`,
    albs * (PRICES.alb.hour + usage.albLcu * PRICES.alb.lcuHour) * H,
  );

  const interfaceZones = all(r, "aws_vpc_endpoint")
    .filter((e) => e.vpc_endpoint_type === "Interface")
    .reduce((n, e) => n + (e.subnet_ids?.length ?? 0), 0);
  const nats = count(r, "aws_nat_gateway");
  // Without interface endpoints, the tasks' AWS API traffic (ECR pulls, logs) goes through the NAT.
  const natGb = usage.natProcessedGb + (interfaceZones === 0 ? usage.endpointProcessedGb : 0);
  add(
    "NAT Gateways",
    "NAT gateway hours + data",
    `${nats} x ${H} h + ${natGb} GB${interfaceZones === 0 && usage.endpointProcessedGb > 0 ? ` (${usage.endpointProcessedGb} GB of it to AWS APIs, no interface endpoints)` : ""}`,
    nats * PRICES.nat.hour * H + (nats > 0 ? natGb * PRICES.nat.gbProcessed : 0),
  );
  add("extra", "Public IPv4 addresses (NAT Elastic IPs)", `${count(r, "aws_eip")} x ${H} h`, count(r, "aws_eip") * PRICES.publicIpv4Hour * H);
  const publicTasks = all(r, "aws_ecs_service")
    .filter((svc) => svc.network_configuration?.assign_public_ip === true)
    .reduce((n, svc) => n + Number(svc.desired_count ?? 0), 0);
  add("extra", "Public IPv4 addresses (tasks)", `${publicTasks} x ${running.basis}`, publicTasks * PRICES.publicIpv4Hour * running.hours);

  add(
    "extra",
    "Interface VPC endpoints",
    `${plural(interfaceZones, "endpoint-zone")} x ${H} h + ${usage.endpointProcessedGb} GB`,
    interfaceZones * PRICES.interfaceEndpoint.hourPerZone * H + (interfaceZones > 0 ? usage.endpointProcessedGb * PRICES.interfaceEndpoint.gbProcessed : 0),
  );

  add("S3 Storage", "S3 Standard storage", `${usage.s3StorageGb} GB`, count(r, "aws_s3_bucket") > 0 ? usage.s3StorageGb * PRICES.s3.standardGbMonth : 0);
  const replications = count(r, "aws_s3_bucket_replication_configuration");
  add(
    "extra",
    "S3 replicas in the DR region",
    `${plural(replications, "bucket")}: ${usage.s3StorageGb / 2} GB each + ${usage.replicatedChangeGb} GB transfer`,
    replications * ((usage.s3StorageGb / 2) * PRICES.s3.standardGbMonth + usage.replicatedChangeGb * PRICES.s3.crossRegionReplicationGb),
  );
  add("extra", "ECR image storage", `${usage.ecrStorageGb} GB`, count(r, "aws_ecr_repository") * usage.ecrStorageGb * PRICES.ecr.gbMonth);

  add(
    "CloudWatch Logs",
    "Log ingestion + storage",
    `${usage.logsIngestGb} GB`,
    usage.logsIngestGb * (PRICES.cloudwatch.logsIngestGb + PRICES.cloudwatch.logsStorageGbMonth),
  );
  add(
    "extra",
    "VPC flow logs",
    `${usage.flowLogsGb} GB`,
    count(r, "aws_flow_log") * usage.flowLogsGb * (PRICES.cloudwatch.logsIngestGb + PRICES.cloudwatch.logsStorageGbMonth),
  );
  const alarmMetrics = all(r, "aws_cloudwatch_metric_alarm").reduce((n, a) => n + (a.metric_query ? a.metric_query.filter((q: any) => q.metric).length : 1), 0);
  add(
    "extra",
    "CloudWatch alarms",
    `${plural(count(r, "aws_cloudwatch_metric_alarm"), "alarm")}, ${plural(alarmMetrics, "metric")}`,
    alarmMetrics * PRICES.cloudwatch.alarmMetricMonth,
  );
  add(
    "extra",
    "CloudWatch dashboard",
    plural(count(r, "aws_cloudwatch_dashboard"), "dashboard"),
    count(r, "aws_cloudwatch_dashboard") * PRICES.cloudwatch.dashboardMonth,
  );
  // Published by running tasks only.
  const tasks = all(r, "aws_ecs_service").reduce((n, svc) => n + Number(svc.desired_count ?? 0), 0);
  add("extra", "Custom metrics (predictions)", "2 metrics", tasks > 0 ? 2 * PRICES.cloudwatch.customMetricMonth : 0);

  const cloudfront = count(r, "aws_cloudfront_distribution") > 0;
  // Behind CloudFront (its distribution, or a VPC origin for another stack's), origin-to-CloudFront
  // transfer is free and CloudFront bills the viewers' bytes.
  const behindCloudfront = cloudfront || count(r, "aws_cloudfront_vpc_origin") > 0;
  const idle = options.standby === "idle";
  add(
    "Data Transfer",
    "Data transfer out to the internet",
    behindCloudfront ? "served by CloudFront" : `${usage.dataTransferOutGb} GB`,
    behindCloudfront || idle ? 0 : usage.dataTransferOutGb * PRICES.dataTransferOutGb,
  );

  for (const db of all(r, "aws_db_instance")) {
    const hourly = PRICES.rds.instanceHour[db.instance_class];
    if (hourly === undefined) throw new Error(`no price for RDS instance class ${db.instance_class}; add it to tools/lib/ops/prices.ts`);
    const copies = db.multi_az ? 2 : 1;
    add("RDS", "RDS PostgreSQL instance", `${db.instance_class}${db.multi_az ? " Multi-AZ" : ""} x ${H} h`, hourly * copies * H);
    // A replica (promoted or not) has its source's storage, which its configuration does not repeat.
    const storage: number | undefined = db.allocated_storage ?? options.replicaStorageGb;
    if (storage === undefined) throw new Error(`no storage size for ${db.identifier}: pass a replica's source storage as replicaStorageGb`);
    add("RDS", "RDS gp3 storage", `${storage} GB${db.multi_az ? " x 2" : ""}`, storage * copies * PRICES.rds.gp3GbMonth);
    if (db.manage_master_user_password) add("extra", "Secrets Manager secret (RDS master)", "1 secret", PRICES.secretsManager.secretMonth);
    if (db.replicate_source_db) {
      add(
        "extra",
        "Cross-region transfer (database replication)",
        `${usage.replicatedChangeGb} GB of changes`,
        usage.replicatedChangeGb * PRICES.s3.crossRegionReplicationGb,
      );
    }
  }

  // The replicated backups are the stack's instance's (the only one that replicates its backups).
  for (const _replication of all(r, "aws_db_instance_automated_backups_replication")) {
    const gb = Number(all(r, "aws_db_instance")[0]?.allocated_storage ?? 0);
    add(
      "extra",
      "RDS backups replicated to the DR region",
      `${gb} GB of snapshots + ${usage.replicatedChangeGb} GB of changes`,
      gb * PRICES.rds.backupStorageGbMonth + usage.replicatedChangeGb * PRICES.s3.crossRegionReplicationGb,
    );
  }

  for (const cluster of all(r, "aws_rds_cluster")) {
    const io = cluster.storage_type === "aurora-iopt1";
    const factor = io ? PRICES.aurora.ioOptimizedFactor : 1;
    const secondary = cluster.global_cluster_identifier !== undefined;
    const instances = all(r, "aws_rds_cluster_instance");
    for (const instance of instances) {
      if (instance.instance_class === "db.serverless") {
        const range = cluster.serverlessv2_scaling_configuration;
        const acus = range.min_capacity + (range.max_capacity - range.min_capacity) * usage.auroraServerlessLoadFraction;
        add(
          "RDS",
          "Aurora Serverless v2 instance",
          `${acus} ACU on average (${range.min_capacity}-${range.max_capacity}, ${usage.auroraServerlessLoadFraction * 100}% of the range) x ${H} h${io ? " (I/O-Optimized)" : ""}`,
          acus * PRICES.aurora.acuHour * factor * H,
        );
        continue;
      }
      const hourly = PRICES.aurora.instanceHour[instance.instance_class];
      if (hourly === undefined) throw new Error(`no price for Aurora instance class ${instance.instance_class}; add it to tools/lib/ops/prices.ts`);
      add("RDS", "Aurora instance", `${instance.identifier}: ${instance.instance_class} x ${H} h${io ? " (I/O-Optimized)" : ""}`, hourly * factor * H);
    }
    add(
      "RDS",
      "Aurora storage",
      `${usage.auroraStorageGb} GB${io ? " (I/O-Optimized)" : ""}`,
      usage.auroraStorageGb * (io ? PRICES.aurora.ioOptimizedStorageGbMonth : PRICES.aurora.storageGbMonth),
    );
    // Reads and writes are billed where the writer is; a secondary pays for the writes it replicates.
    if (!secondary && !io) add("RDS", "Aurora I/O requests", `${usage.auroraIoMillions}M requests`, usage.auroraIoMillions * PRICES.aurora.ioPerMillion);
    if (secondary && !io)
      add(
        "extra",
        "Aurora global database: replicated write I/O",
        `${usage.auroraWriteIoMillions}M writes`,
        usage.auroraWriteIoMillions * PRICES.aurora.replicatedWriteIoPerMillion,
      );
    if (secondary)
      add(
        "extra",
        "Cross-region transfer (global database replication)",
        `${usage.replicatedChangeGb} GB of changes`,
        usage.replicatedChangeGb * PRICES.s3.crossRegionReplicationGb,
      );
    if (cluster.manage_master_user_password) add("extra", "Secrets Manager secret (Aurora master)", "1 secret", PRICES.secretsManager.secretMonth);
  }

  for (const group of all(r, "aws_elasticache_replication_group")) {
    const hourly = PRICES.elasticache.nodeHour[group.engine]?.[group.node_type];
    if (hourly === undefined) throw new Error(`no price for ElastiCache ${group.engine} node type ${group.node_type}; add it to tools/lib/ops/prices.ts`);
    add("extra", "ElastiCache nodes", `${group.num_cache_clusters} x ${group.node_type} (${group.engine}) x ${H} h`, group.num_cache_clusters * hourly * H);
  }

  if (cloudfront) {
    add(
      "CloudFront",
      "CloudFront data out + HTTPS requests",
      `${usage.cloudfrontGbOut} GB + ${usage.cloudfrontRequestsMillions}M requests`,
      usage.cloudfrontGbOut * PRICES.cloudfront.gbOut + usage.cloudfrontRequestsMillions * 100 * PRICES.cloudfront.httpsPer10k,
    );
  }
  if (count(r, "aws_cloudwatch_log_delivery") > 0) {
    add("extra", "CloudFront access logs to S3 (vended logs)", `${usage.cloudfrontLogsGb} GB`, usage.cloudfrontLogsGb * PRICES.cloudfront.logsToS3Gb);
  }
  if (count(r, "aws_cloudfront_function") > 0) {
    add(
      "extra",
      "CloudFront Functions (standby share)",
      `${usage.cloudfrontRequestsMillions}M invocations (every CloudFront request counted: an upper bound, static paths run no function)`,
      usage.cloudfrontRequestsMillions * PRICES.cloudfront.functionPerMillion,
    );
  }
  for (const acl of all(r, "aws_wafv2_web_acl")) {
    const rules = acl.rule?.length ?? 0;
    add(
      "extra",
      "WAF web ACL",
      `1 ACL + ${plural(rules, "rule")} + ${usage.requestsMillions}M requests`,
      PRICES.waf.aclMonth + rules * PRICES.waf.ruleMonth + usage.requestsMillions * PRICES.waf.perMillionRequests,
    );
  }
  add("extra", "KMS customer-managed keys", plural(count(r, "aws_kms_key"), "key"), count(r, "aws_kms_key") * PRICES.kms.keyMonth);
  return lines;
}

/** The cost lines of the account baseline stack. */
export function estimateBaseline(json: { resource?: Resources }, usage: Usage, fargateVcpus: number): CostLine[] {
  assertPriced(json);
  const r = json.resource ?? {};
  const lines: CostLine[] = [];
  const add = (item: string, basis: string, monthly: number) => {
    if (monthly > 0) lines.push({ group: "extra", item, basis, monthly: money(monthly) });
  };
  if (count(r, "aws_guardduty_detector") > 0) {
    add(
      "GuardDuty",
      `${usage.guardDutyEventsMillions}M events + ${usage.flowLogsGb} GB flow logs + ${Number(fargateVcpus.toFixed(2))} Fargate vCPU monitored`,
      usage.guardDutyEventsMillions * PRICES.guardDuty.perMillionEvents +
        usage.flowLogsGb * PRICES.guardDuty.flowLogGb +
        fargateVcpus * PRICES.guardDuty.fargateVcpuMonth,
    );
  }
  if (count(r, "aws_config_configuration_recorder") > 0) {
    add(
      "AWS Config",
      `${usage.configItems} items + ${usage.configRuleEvaluations} rule evaluations`,
      usage.configItems * PRICES.config.configurationItem + usage.configRuleEvaluations * PRICES.config.ruleEvaluation,
    );
  }
  for (const trail of all(r, "aws_cloudtrail")) {
    const dataEvents = (trail.advanced_event_selector ?? []).some((s: any) => s.field_selector?.some((f: any) => f.equals?.includes("Data")));
    add(
      "CloudTrail (management events free; S3 data events)",
      `${usage.s3DataEventsMillions}M data events`,
      dataEvents ? usage.s3DataEventsMillions * 10 * PRICES.cloudTrail.dataEventsPer100k : 0,
    );
  }
  if (count(r, "aws_securityhub_account") > 0) {
    add("Security Hub", `${usage.securityHubChecks} checks`, usage.securityHubChecks * PRICES.securityHub.check);
  }
  add("KMS customer-managed keys", plural(count(r, "aws_kms_key"), "key"), count(r, "aws_kms_key") * PRICES.kms.keyMonth);
  return lines;
}

/** Sum of lines. */
export function total(lines: readonly CostLine[]): number {
  return money(lines.reduce((sum, l) => sum + l.monthly, 0));
}

/** Sum of the lines that belong to one of the seed table's rows. */
export function groupTotal(lines: readonly CostLine[], group: string): number {
  return total(lines.filter((l) => l.group === group));
}
