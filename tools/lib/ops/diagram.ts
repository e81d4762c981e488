/**
 * A Graphviz (DOT) picture of one environment, built from its synthesized Terraform JSON: the
 * VPC with its subnets per zone, the ALB, the ECS service, RDS, the buckets, CloudFront, the
 * endpoints, alarms and SNS, the DR region, and the seed's data flows. Node ids are Terraform
 * addresses, so every node can be traced to the plan.
 */
import { plural } from "./words";

type Resources = Record<string, Record<string, Record<string, any>>>;

/** Resource types drawn as one node each. */
export const DRAWN_TYPES = [
  "aws_vpc",
  "aws_subnet",
  "aws_nat_gateway",
  "aws_internet_gateway",
  "aws_lb",
  "aws_ecs_service",
  "aws_db_instance",
  "aws_rds_cluster",
  "aws_rds_global_cluster",
  "aws_elasticache_replication_group",
  "aws_cloudfront_function",
  "aws_s3_bucket",
  "aws_ecr_repository",
  "aws_cloudfront_distribution",
  "aws_wafv2_web_acl",
  "aws_vpc_endpoint",
  "aws_cloudwatch_metric_alarm",
  "aws_sns_topic",
  "aws_cloudwatch_dashboard",
] as const;

const q = (s: string) => JSON.stringify(s);
const address = (type: string, name: string) => `${type}.${name}`;

interface Palette {
  readonly fill: string;
  readonly shape?: string;
}
const STYLE: Record<string, Palette> = {
  network: { fill: "#e8f1fb" },
  compute: { fill: "#fdebd3" },
  data: { fill: "#e3f4e1", shape: "cylinder" },
  edge: { fill: "#efe3f7" },
  ops: { fill: "#fbe3e3" },
};

/** A long physical name on two lines, broken at the hyphen nearest its middle: narrower columns. */
function wrapped(name: string): string {
  if (name.length <= 28) return name;
  const hyphens = [...name.matchAll(/-/g)].map((m) => m.index);
  const cut = hyphens.reduce((best, i) => (Math.abs(i - name.length / 2) < Math.abs(best - name.length / 2) ? i : best), hyphens[0] ?? -1);
  return cut > 0 ? `${name.slice(0, cut + 1)}\n${name.slice(cut + 1)}` : name;
}

function node(id: string, label: string, style: Palette): string {
  return `${q(id)} [label=${q(label)}, fillcolor=${q(style.fill)}${style.shape ? `, shape=${style.shape}` : ""}];`;
}

/** Node ids of the standby's resources: its stack's name, then the Terraform address. */
export const standbyId = (stack: string, type: string, name: string) => `${stack}:${address(type, name)}`;

/**
 * The DOT source of an environment's diagram; with `standby` (its `<env>-dr` stack's JSON), the
 * DR region shows the standby and the replication and failover arrows.
 */
export function environmentDot(
  environment: string,
  json: { resource?: Resources; terraform?: any; provider?: any },
  standby?: { stack: string; json: { resource?: Resources; output?: any } },
): string {
  const r = json.resource ?? {};
  const each = (type: string) => Object.entries(r[type] ?? {}).map(([name, body]) => ({ id: address(type, name), name, body }));
  const region = json.provider?.aws?.find((p: any) => !p.alias)?.region ?? "primary region";
  const drRegion = json.provider?.aws?.find((p: any) => p.alias === "dr")?.region ?? "DR region";
  const lines: string[] = [
    `digraph ${q(environment)} {`,
    `  label=${q(`${environment}: student mental-health dashboard`)}; labelloc=t; fontsize=16; fontname="DejaVu Sans";`,
    "  rankdir=LR; compound=true; newrank=true; nodesep=0.3; ranksep=0.6;",
    '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=10];',
    '  edge [fontname="DejaVu Sans", fontsize=9];',
    `  "users" [label="Users (browser)", shape=ellipse, fillcolor="#ffffff"];`,
  ];

  for (const cdn of each("aws_cloudfront_distribution")) {
    lines.push(`  ${node(cdn.id, `CloudFront\n${cdn.body.price_class}`, STYLE.edge)}`);
  }
  for (const fn of each("aws_cloudfront_function")) {
    lines.push(`  ${node(fn.id, `CloudFront Function\n${fn.body.comment}`, STYLE.edge)}`);
  }
  for (const global of each("aws_rds_global_cluster")) {
    lines.push(`  ${node(global.id, `Aurora Global Database\n${global.body.global_cluster_identifier}`, STYLE.data)}`);
  }
  for (const acl of each("aws_wafv2_web_acl")) {
    lines.push(`  ${node(acl.id, `WAF web ACL (${acl.body.scope})\n${(acl.body.rule ?? []).length} rules`, STYLE.edge)}`);
  }

  lines.push(`  subgraph "cluster_primary" { label=${q(`${region} (primary)`)}; style=dashed;`);
  for (const vpc of each("aws_vpc")) {
    lines.push(`    subgraph "cluster_vpc" { label=${q(`VPC ${vpc.body.cidr_block}`)}; style="rounded"; bgcolor="#f7fbff";`);
    lines.push(`      ${node(vpc.id, `VPC ${vpc.body.cidr_block}`, STYLE.network)}`);
    const zones = [...new Set(each("aws_subnet").map((s) => s.body.availability_zone as string))].sort();
    for (const zone of zones) {
      lines.push(`      subgraph ${q(`cluster_${zone}`)} { label=${q(zone)}; style="rounded,dotted";`);
      const zoneSubnets = each("aws_subnet").filter((s) => s.body.availability_zone === zone);
      for (const subnet of zoneSubnets) {
        lines.push(`        ${node(subnet.id, `${subnet.body.tags?.Tier ?? ""} subnet\n${subnet.body.cidr_block}`, STYLE.network)}`);
      }
      for (const nat of each("aws_nat_gateway").filter((n) => zoneSubnets.some((s) => String(n.body.subnet_id).includes(`\${${s.id}.`)))) {
        lines.push(`        ${node(nat.id, "NAT gateway", STYLE.network)}`);
      }
      lines.push("      }");
    }
    for (const igw of each("aws_internet_gateway")) lines.push(`      ${node(igw.id, "Internet gateway", STYLE.network)}`);
    for (const lb of each("aws_lb")) {
      const listeners = each("aws_lb_listener")
        .map((l) => `${l.body.protocol} ${l.body.port}`)
        .join(", ");
      lines.push(`      ${node(lb.id, `ALB (${lb.body.internal ? "internal" : "internet-facing"})\n${listeners}`, STYLE.compute)}`);
    }
    const task = each("aws_ecs_task_definition")[0]?.body;
    const scaling = each("aws_appautoscaling_target")[0]?.body;
    for (const service of each("aws_ecs_service")) {
      lines.push(
        `      ${node(service.id, `ECS Fargate: Streamlit :8501\n${plural(Number(service.body.desired_count), "task")} x ${task?.cpu} CPU / ${task?.memory} MiB\nautoscaling ${scaling?.min_capacity}-${scaling?.max_capacity}`, STYLE.compute)}`,
      );
    }
    for (const db of each("aws_db_instance")) {
      lines.push(
        `      ${node(db.id, `RDS PostgreSQL ${db.body.engine_version}\n${db.body.instance_class}${db.body.multi_az ? ", Multi-AZ" : ""}`, STYLE.data)}`,
      );
    }
    for (const cluster of each("aws_rds_cluster"))
      lines.push(`      ${node(cluster.id, auroraLabel(cluster.body, each("aws_rds_cluster_instance")), STYLE.data)}`);
    for (const cache of each("aws_elasticache_replication_group")) lines.push(`      ${node(cache.id, cacheLabel(cache.body), STYLE.data)}`);
    const endpoints = each("aws_vpc_endpoint");
    if (endpoints.length > 0) {
      lines.push('      subgraph "cluster_endpoints" { label="VPC endpoints"; style="rounded,dotted";');
      for (const e of endpoints)
        lines.push(`        ${node(e.id, `${String(e.body.service_name).split(".").slice(3).join(".")} (${e.body.vpc_endpoint_type})`, STYLE.network)}`);
      lines.push("      }");
    }
    lines.push("    }");
  }

  const primaryBuckets = each("aws_s3_bucket").filter((b) => b.body.provider !== "aws.dr");
  lines.push('    subgraph "cluster_storage" { label="S3 and ECR"; style="rounded,dotted";');
  for (const b of primaryBuckets) lines.push(`      ${node(b.id, `S3 ${b.name.replace(/^storage_/, "")}\n${wrapped(b.body.bucket)}`, STYLE.data)}`);
  for (const repo of each("aws_ecr_repository"))
    lines.push(`      ${node(repo.id, `ECR ${wrapped(repo.body.name)}\n${repo.body.image_tag_mutability}, scan on push`, STYLE.data)}`);
  lines.push("    }");

  const alarms = each("aws_cloudwatch_metric_alarm");
  lines.push('    subgraph "cluster_ops" { label="Monitoring"; style="rounded,dotted";');
  const alarmPrefix = `${json.resource?.aws_sns_topic ? String(Object.values(r.aws_sns_topic)[0].name).replace(/alerts$/, "") : ""}`;
  for (const a of alarms) lines.push(`      ${node(a.id, `alarm ${String(a.body.alarm_name).replace(alarmPrefix, "")}`, STYLE.ops)}`);
  for (const t of each("aws_sns_topic")) lines.push(`      ${node(t.id, "SNS alerts", STYLE.ops)}`);
  for (const d of each("aws_cloudwatch_dashboard")) lines.push(`      ${node(d.id, "CloudWatch dashboard", STYLE.ops)}`);
  lines.push("    }");
  lines.push("  }");

  const replicas = each("aws_s3_bucket").filter((b) => b.body.provider === "aws.dr");
  const stateBucket = json.terraform?.backend?.s3?.bucket;
  lines.push(`  subgraph "cluster_dr" { label=${q(`${drRegion} (disaster recovery)`)}; style=dashed;`);
  for (const b of replicas) lines.push(`    ${node(b.id, `S3 ${b.name.replace(/^storage_/, "")}\n${wrapped(b.body.bucket)}`, STYLE.data)}`);
  if (stateBucket) lines.push(`    ${node("terraform_state", `Terraform state\n${wrapped(stateBucket)}`, STYLE.data)}`);
  const sr = standby?.json.resource ?? {};
  const standbyEach = (type: string) => Object.entries(sr[type] ?? {}).map(([name, body]) => ({ id: standbyId(standby!.stack, type, name), name, body }));
  if (standby) {
    const mode = standby.json.output?.mode?.value ?? "";
    const vpc = standbyEach("aws_vpc")[0];
    lines.push(
      `    subgraph "cluster_standby" { label=${q(`standby ${standby.stack} (${mode})${vpc ? `, VPC ${vpc.body.cidr_block}` : ""}`)}; style="rounded"; bgcolor="#fbfbf2";`,
    );
    for (const lb of standbyEach("aws_lb"))
      lines.push(`      ${node(lb.id, `standby ALB (${lb.body.internal ? "internal" : "internet-facing"})`, STYLE.compute)}`);
    const scaling = standbyEach("aws_appautoscaling_target")[0]?.body;
    for (const svc of standbyEach("aws_ecs_service")) {
      lines.push(
        `      ${node(svc.id, `standby ECS service\n${plural(Number(svc.body.desired_count), "task")}, autoscaling ${scaling?.min_capacity}-${scaling?.max_capacity}`, STYLE.compute)}`,
      );
    }
    for (const db of standbyEach("aws_db_instance")) {
      lines.push(
        `      ${node(db.id, db.body.replicate_source_db ? `RDS read replica\n${db.body.instance_class}` : `RDS (promoted replica)\n${db.body.instance_class}`, STYLE.data)}`,
      );
    }
    for (const cluster of standbyEach("aws_rds_cluster"))
      lines.push(
        `      ${node(cluster.id, `${auroraLabel(cluster.body, standbyEach("aws_rds_cluster_instance"))}\nsecondary of the global database`, STYLE.data)}`,
      );
    for (const cache of standbyEach("aws_elasticache_replication_group")) lines.push(`      ${node(cache.id, cacheLabel(cache.body), STYLE.data)}`);
    const nats = standbyEach("aws_nat_gateway").length;
    lines.push(`      ${node(standbyId(standby.stack, "network", "egress"), nats > 0 ? `${nats} NAT gateways` : "no NAT (pilot light)", STYLE.network)}`);
    lines.push("    }");
  }
  lines.push("  }");

  // Layout: the network's parts in the columns of the request path (ALB, service, database), so
  // that the VPC box holds rows, not one tall column of unconnected nodes (newrank lets a rank
  // cross the zone clusters).
  const ids = (type: string) => each(type).map((e) => e.id);
  const subnets = (tier: string) =>
    each("aws_subnet")
      .filter((s) => String(s.body.tags?.Tier ?? "").toLowerCase() === tier)
      .map((s) => s.id);
  const sameRank = (group: string[]) => (group.length > 1 ? lines.push(`  { rank=same; ${group.map(q).join("; ")}; }`) : undefined);
  sameRank([...ids("aws_lb"), ...ids("aws_internet_gateway"), ...subnets("public"), ...ids("aws_nat_gateway")]);
  sameRank([...ids("aws_ecs_service"), ...subnets("private")]);
  sameRank([...ids("aws_db_instance"), ...ids("aws_vpc"), ...ids("aws_vpc_endpoint")]);

  // The seed's data flows.
  const first = (type: string) => each(type)[0]?.id;
  const [cdn, alb, service, db, topic] = [
    first("aws_cloudfront_distribution"),
    first("aws_lb"),
    first("aws_ecs_service"),
    first("aws_db_instance"),
    first("aws_sns_topic"),
  ];
  const bucket = (role: string) => primaryBuckets.find((b) => b.name === `storage_${role}`)?.id;
  const flow = (from: string | undefined, to: string | undefined, label: string, style = "") =>
    from && to ? lines.push(`  ${q(from)} -> ${q(to)} [label=${q(label)}${style ? `, ${style}` : ""}];`) : undefined;
  // A flow labelled near its head, `distance` x 10 pt from it at `angle` degrees off the edge:
  // where edges leave or cross a node close together, labels at mid-edge would overlap.
  const headFlow = (from: string | undefined, to: string | undefined, label: string, [distance, angle]: [number, number], style = "") =>
    flow(from, to, "", `headlabel=${q(label)}, labeldistance=${distance}, labelangle=${angle}${style ? `, ${style}` : ""}`);
  if (cdn) {
    flow("users", cdn, "1. User Request Flow");
    // It leaves CloudFront beside the static flow: its label goes near the ALB.
    headFlow(cdn, alb, each("aws_cloudfront_vpc_origin").length > 0 ? "dynamic (no cache),\nprivate VPC origin" : "dynamic (no cache)", [9, 18]);
    flow(cdn, bucket("static"), "2. Static Asset Flow (1 h cache)");
    const acl = first("aws_wafv2_web_acl");
    flow(acl, cdn, "filters", "style=dotted, arrowhead=none");
  } else {
    flow("users", alb, "1. User Request Flow");
  }
  flow(alb, service, ":8501, sticky");
  flow(service, bucket("models"), "3. ML Prediction Flow: load model");
  flow(service, bucket("data"), "store results");
  const aurora = first("aws_rds_cluster");
  // The tasks' database is the one their DB_HOST names; an instance kept beside Aurora gets none of their traffic.
  const usesAurora = aurora !== undefined && String(each("aws_ecs_task_definition")[0]?.body.container_definitions).includes("aws_rds_cluster.");
  flow(service, usesAurora ? aurora : db, "store results (TLS)");
  if (usesAurora) flow(db, aurora, "kept until the move is verified", "style=dotted, arrowhead=none");
  else flow(db, aurora, "replicates into (migration)", "style=dashed");
  flow(service, first("aws_elasticache_replication_group"), "cache (TLS, IAM auth)");
  flow(aurora, first("aws_rds_global_cluster"), "primary of", "style=dashed");
  flow(first("aws_cloudfront_function"), cdn, "splits viewers", "style=dotted, arrowhead=none");
  // These two cross between the ALB and the service.
  headFlow(first("aws_ecr_repository"), service, "image pull", [4, -30], "style=dashed");
  headFlow(alb, bucket("logs"), "access logs", [4, -20], "style=dashed");
  for (const b of replicas) flow(bucket(b.name.replace(/^storage_|_replica$/g, "")), b.id, "replication", "style=dashed");
  for (const a of alarms) flow(a.id, topic, "", "style=dotted, arrowhead=vee");
  if (standby) {
    const sFirst = (type: string) => standbyEach(type)[0]?.id;
    const [sAlb, sService, sDb] = [sFirst("aws_lb"), sFirst("aws_ecs_service"), sFirst("aws_db_instance")];
    const group = Object.values(r.aws_cloudfront_distribution ?? {}).some((d: any) => (d.origin_group ?? []).length > 0);
    flow(
      cdn,
      sAlb,
      group ? "failover on 5xx\n(origin group)" : "failover once dr.failoverOrigin is set",
      group ? 'style=bold, color="#b35900"' : 'style=dotted, color="#b35900"',
    );
    flow(sAlb, sService, ":8501");
    flow(db, sDb, "cross-region replication", "style=dashed");
    const [sAurora, sCache] = [sFirst("aws_rds_cluster"), sFirst("aws_elasticache_replication_group")];
    flow(first("aws_rds_global_cluster"), sAurora, "storage replication (typically < 1 s)", "style=dashed");
    flow(sService, sAurora, "reads; writes forwarded to the primary");
    flow(sService, sCache, "cache (TLS, IAM auth)");
    flow(first("aws_ecr_repository"), sService, "ECR replication, image pull", "style=dashed");
    for (const b of replicas) flow(b.id, sService, "reads", "style=dashed");
    if (!sAurora) flow(sService, sDb, "IAM auth (TLS)");
  }
  lines.push("}");
  return lines.join("\n");
}

/** An Aurora cluster's node: engine version and its instances' classes. */
function auroraLabel(cluster: Record<string, any>, instances: { body: Record<string, any> }[]): string {
  const classes = [...new Set(instances.map((i) => String(i.body.instance_class)))].join(", ");
  return `Aurora PostgreSQL ${cluster.engine_version}\n${instances.length > 0 ? `${instances.length} x ${classes}` : "no instance (headless)"}`;
}

/** A cache's node: engine, version and nodes. */
function cacheLabel(group: Record<string, any>): string {
  return `ElastiCache ${group.engine} ${group.engine_version}\n${group.num_cache_clusters} x ${group.node_type}`;
}

/** The addresses of the resources a diagram must show. */
export function drawnAddresses(json: { resource?: Resources }): string[] {
  return DRAWN_TYPES.flatMap((type) => Object.keys(json.resource?.[type] ?? {}).map((name) => address(type, name)));
}
