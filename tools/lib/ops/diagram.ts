/**
 * A Graphviz (DOT) picture of one environment, built from its synthesized Terraform JSON: the
 * VPC (its zones, subnets, gateways and endpoints in one node), the ALB, the ECS service, the
 * databases and cache, the buckets, CloudFront, the alarms and SNS, the DR region, and the seed's
 * data flows. Node ids are Terraform addresses, so every node can be traced to the plan; a node
 * drawn for several resources (the network, the alarms) lists their addresses as its tooltip.
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

/**
 * Point sizes of the picture's texts. Read at page width (a GitHub page shows a picture at most
 * 900 CSS px wide) a picture no wider than that keeps them at or above 11 px (1 pt = 4/3 px).
 */
export const FONT_SIZES = { title: 13, cluster: 11, node: 10, edge: 10 } as const;

/** Each line of `text` broken after a comma where it would pass `width` characters. */
function lineBroken(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) =>
      line.split(", ").reduce((out, part) => {
        const last = out.slice(out.lastIndexOf("\n") + 1);
        return out === "" ? part : last.length + part.length + 2 > width ? `${out},\n${part}` : `${out}, ${part}`;
      }, ""),
    )
    .join("\n");
}

/** A long physical name on two lines, broken at the hyphen nearest its middle: narrower columns. */
function wrapped(name: string): string {
  if (name.length <= 22) return name;
  const hyphens = [...name.matchAll(/-/g)].map((m) => m.index);
  const cut = hyphens.reduce((best, i) => (Math.abs(i - name.length / 2) < Math.abs(best - name.length / 2) ? i : best), hyphens[0] ?? -1);
  return cut > 0 ? `${name.slice(0, cut + 1)}\n${name.slice(cut + 1)}` : name;
}

/** A node; `stands for` lists the Terraform addresses a node drawn for several resources shows (its tooltip). */
function node(id: string, label: string, style: Palette, standsFor: string[] = []): string {
  const tooltip = standsFor.length > 0 ? `, tooltip=${q(standsFor.join("\n"))}` : "";
  return `${q(id)} [label=${q(label)}, fillcolor=${q(style.fill)}${style.shape ? `, shape=${style.shape}` : ""}${tooltip}];`;
}

/** Node ids of the standby's resources: its stack's name, then the Terraform address. */
export const standbyId = (stack: string, type: string, name: string) => `${stack}:${address(type, name)}`;

/** Ids of the nodes that each stand for several resources of one environment. */
export const GROUP_NODES = { network: "network", alarms: "alarms" } as const;

/** Resource types a group node stands for, by group. */
const GROUPED = {
  network: ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway"],
  endpoints: ["aws_vpc_endpoint"],
  alarms: ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_dashboard"],
} as const;

/** "a, b and c". */
const listed = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : (items[0] ?? ""));

/**
 * The DOT source of an environment's diagram; with `standby` (its `<env>-dr` stack's JSON), the
 * DR region shows the standby and the replication and failover arrows. Drawn top to bottom, one
 * row per step of the request path (viewers, CloudFront, the ALB, the tasks, the data), so that
 * the picture stays narrow enough to read at page width: edge labels take rows of height, not
 * columns of width, and the network, its endpoints and the alarms are one node each.
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
  const allBuckets = each("aws_s3_bucket");
  const lines: string[] = [
    `digraph ${q(environment)} {`,
    `  label=${q(`${environment}: student mental-health dashboard${bucketNames(allBuckets)}`)}; labelloc=t; fontsize=${FONT_SIZES.title}; fontname="DejaVu Sans";`,
    "  rankdir=TB; compound=true; newrank=true; nodesep=0.15; ranksep=0.3;",
    `  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=${FONT_SIZES.node}, margin="0.1,0.04"];`,
    `  edge [fontname="DejaVu Sans", fontsize=${FONT_SIZES.edge}];`,
    `  graph [fontsize=${FONT_SIZES.cluster}];`,
    `  "users" [label="Users (browser)", shape=ellipse, fillcolor="#ffffff"];`,
  ];

  for (const cdn of each("aws_cloudfront_distribution")) {
    lines.push(`  ${node(cdn.id, `CloudFront\n${cdn.body.price_class}`, STYLE.edge)}`);
  }
  for (const fn of each("aws_cloudfront_function")) {
    lines.push(`  ${node(fn.id, `CloudFront Function:\n${String(fn.body.comment).replace(/ at the /, "\nat the ")}`, STYLE.edge)}`);
  }
  for (const acl of each("aws_wafv2_web_acl")) {
    lines.push(`  ${node(acl.id, `WAF web ACL\n(${acl.body.scope}), ${plural((acl.body.rule ?? []).length, "rule")}`, STYLE.edge)}`);
  }

  // Cluster captions where no arrow enters: arrows enter the primary region from above (its
  // caption at the top right, away from CloudFront's arrows) and the DR region from above too (its
  // captions at the bottom).
  lines.push(`  subgraph "cluster_primary" { label=${q(`${region} (primary)`)}; labeljust=r; style=dashed;`);
  for (const vpc of each("aws_vpc")) {
    // The box without a caption, which arrows into it would cross: its node names it.
    lines.push(`    subgraph "cluster_vpc" { label=""; style="rounded"; bgcolor="#f7fbff";`);
    // The network's parts in one node, with what it stands for as its tooltip.
    const parts = [...GROUPED.network, ...GROUPED.endpoints].flatMap((t) => each(t).map((e) => e.id));
    lines.push(
      `      ${q(GROUP_NODES.network)} [label=${leftJustified([`VPC ${vpc.body.cidr_block}`, ...networkLabel(each)])}, fillcolor=${q(STYLE.network.fill)}, tooltip=${q(parts.join("\n"))}];`,
    );
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
        `      ${node(service.id, `ECS Fargate: Streamlit :8501\n${plural(Number(service.body.desired_count), "task")}, ${task?.cpu} CPU, ${task?.memory} MiB\nautoscaling ${scaling?.min_capacity}-${scaling?.max_capacity}`, STYLE.compute)}`,
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
    lines.push("    }");
  }

  const primaryBuckets = allBuckets.filter((b) => b.body.provider !== "aws.dr");
  for (const b of primaryBuckets) lines.push(`    ${node(b.id, `S3 ${b.name.replace(/^storage_/, "")}`, STYLE.data)}`);
  for (const repo of each("aws_ecr_repository"))
    lines.push(
      `    ${node(repo.id, `ECR ${wrapped(repo.body.name)}\n${String(repo.body.image_tag_mutability).toLowerCase()} tags,\nscan on push${standby ? `,\nreplicated to ${drRegion}` : ""}`, STYLE.data)}`,
    );

  const alarms = each("aws_cloudwatch_metric_alarm");
  const dashboards = each("aws_cloudwatch_dashboard");
  const topic = each("aws_sns_topic")[0]?.id;
  if (alarms.length + dashboards.length > 0) {
    const watched = [plural(alarms.length, "alarm"), ...(dashboards.length > 0 ? [plural(dashboards.length, "dashboard")] : [])];
    lines.push(
      `    ${node(
        GROUP_NODES.alarms,
        `CloudWatch\n${listed(watched)}`,
        STYLE.ops,
        [...alarms, ...dashboards].map((a) => a.id),
      )}`,
    );
  }
  for (const t of each("aws_sns_topic")) lines.push(`    ${node(t.id, "SNS alerts", STYLE.ops)}`);
  // Managed from the primary region's stack, though global: drawn in it, next to the DR region.
  for (const global of each("aws_rds_global_cluster")) {
    lines.push(`    ${node(global.id, `Aurora Global Database\n${global.body.global_cluster_identifier}`, STYLE.data)}`);
  }
  lines.push("  }");

  const replicas = allBuckets.filter((b) => b.body.provider === "aws.dr");
  const stateBucket = json.terraform?.backend?.s3?.bucket;
  // The state bucket in the region's caption, or as its one node where nothing else is there.
  const stateNode = stateBucket && !standby && replicas.length === 0;
  lines.push(
    `  subgraph "cluster_dr" { label=${q(`${drRegion} (disaster recovery)${stateBucket && !stateNode ? `\nTerraform state: ${stateBucket}` : ""}`)}; labelloc=b; style=dashed;`,
  );
  if (stateNode) lines.push(`    ${node("terraform_state", `Terraform state\n${wrapped(stateBucket)}`, STYLE.data)}`);
  for (const b of replicas) lines.push(`    ${node(b.id, `S3 ${b.name.replace(/^storage_/, "").replace(/_replica$/, " replica")}`, STYLE.data)}`);
  const sr = standby?.json.resource ?? {};
  const standbyEach = (type: string) => Object.entries(sr[type] ?? {}).map(([name, body]) => ({ id: standbyId(standby!.stack, type, name), name, body }));
  if (standby) {
    const mode = standby.json.output?.mode?.value ?? "";
    const vpc = standbyEach("aws_vpc")[0];
    const nats = standbyEach("aws_nat_gateway").length;
    const network = `${vpc ? `VPC ${vpc.body.cidr_block}, ` : ""}${nats > 0 ? plural(nats, "NAT gateway") : "no NAT (pilot light)"}`;
    lines.push(
      `    subgraph "cluster_standby" { label=${q(`standby ${standby.stack}\n(${mode})\n${network}`)}; labelloc=b; style="rounded"; bgcolor="#fbfbf2";`,
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
    lines.push("    }");
  }
  lines.push("  }");

  // The seed's data flows.
  const first = (type: string) => each(type)[0]?.id;
  const [cdn, alb, service, db] = [first("aws_cloudfront_distribution"), first("aws_lb"), first("aws_ecs_service"), first("aws_db_instance")];
  const bucket = (role: string) => primaryBuckets.find((b) => b.name === `storage_${role}`)?.id;
  const flow = (from: string | undefined, to: string | undefined, label: string, style = "") =>
    from && to ? lines.push(`  ${q(from)} -> ${q(to)} [label=${q(label)}${style ? `, ${style}` : ""}];`) : undefined;
  // A long arrow between the regions: its label placed after the layout (xlabel), beside it,
  // where a label would otherwise hold a column of its own for the arrow's whole length.
  const longFlow = (from: string | undefined, to: string | undefined, label: string, style: string) =>
    from && to ? lines.push(`  ${q(from)} -> ${q(to)} [xlabel=${q(label)}, ${style}];`) : undefined;
  // Where a picture needs a node in a row of its own choosing: an arrow that only places.
  const place = (from: string | undefined, to: string | undefined, weight = 1) =>
    from && to ? lines.push(`  ${q(from)} -> ${q(to)} [style=invis${weight !== 1 ? `, weight=${weight}` : ""}];`) : undefined;
  if (cdn) {
    flow("users", cdn, "1. User Request Flow");
    flow(cdn, alb, each("aws_cloudfront_vpc_origin").length > 0 ? "dynamic (no cache),\nprivate VPC origin" : "dynamic (no cache)");
    flow(cdn, bucket("static"), "2. Static Asset Flow\n(1 h cache)");
    const acl = first("aws_wafv2_web_acl");
    flow(acl, cdn, "filters", "style=dotted, arrowhead=none");
  } else {
    flow("users", alb, "1. User Request Flow");
  }
  flow(alb, service, ":8501, sticky");
  flow(service, bucket("models"), "3. ML Prediction Flow:\nload model");
  flow(service, bucket("data"), "store results");
  const aurora = first("aws_rds_cluster");
  // The tasks' database is the one their DB_HOST names; an instance kept beside Aurora gets none of their traffic.
  const usesAurora = aurora !== undefined && String(each("aws_ecs_task_definition")[0]?.body.container_definitions).includes("aws_rds_cluster.");
  flow(service, usesAurora ? aurora : db, "store results (TLS)");
  if (usesAurora) flow(db, aurora, "kept until the\nmove is verified", "style=dotted, arrowhead=none");
  else flow(db, aurora, "replicates into\n(migration)", "style=dashed");
  flow(service, first("aws_elasticache_replication_group"), "cache (TLS,\nIAM auth)");
  flow(aurora, first("aws_rds_global_cluster"), "primary of", "style=dashed");
  flow(first("aws_cloudfront_function"), cdn, "splits viewers", "style=dotted, arrowhead=none");
  flow(first("aws_ecr_repository"), service, "image pull", "style=dashed");
  flow(alb, bucket("logs"), "access logs", "style=dashed");
  for (const b of replicas) flow(bucket(b.name.replace(/^storage_|_replica$/g, "")), b.id, "replication", "style=dashed");
  flow(alarms.length > 0 ? GROUP_NODES.alarms : undefined, topic, "alarms", "style=dotted, arrowhead=vee");
  // Rows of at most four nodes: the network in the service's row, its endpoints in the data's,
  // the alarms below the data, and the DR region below the primary.
  const dataRow = (usesAurora ? aurora : db) ?? bucket("data");
  place(dataRow, alarms.length > 0 ? GROUP_NODES.alarms : undefined);
  // The network beside the ALB: the VPC box's one tall node, in its first row.
  if (alb) lines.push(`  { rank=same; ${q(alb)}; ${q(GROUP_NODES.network)}; }`);
  const lowest = topic ?? (alarms.length > 0 ? GROUP_NODES.alarms : dataRow);
  for (const b of replicas) place(lowest, b.id);
  if (stateNode) place(lowest, "terraform_state");
  if (standby) {
    const sFirst = (type: string) => standbyEach(type)[0]?.id;
    const [sAlb, sService, sDb] = [sFirst("aws_lb"), sFirst("aws_ecs_service"), sFirst("aws_db_instance")];
    const group = Object.values(r.aws_cloudfront_distribution ?? {}).some((d: any) => (d.origin_group ?? []).length > 0);
    longFlow(
      cdn,
      sAlb,
      group ? "failover on 5xx\n(origin group)" : "failover once\ndr.failoverOrigin is set",
      `${group ? 'style=bold, color="#b35900"' : 'style=dotted, color="#b35900"'}, weight=0`,
    );
    flow(sAlb, sService, ":8501");
    longFlow(db, sDb, "cross-region\nreplication", "style=dashed");
    const [sAurora, sCache] = [sFirst("aws_rds_cluster"), sFirst("aws_elasticache_replication_group")];
    flow(first("aws_rds_global_cluster"), sAurora, "storage replication\n(typically < 1 s)", "style=dashed");
    flow(sService, sAurora, "reads; writes forwarded\nto the primary");
    flow(sService, sCache, "cache (TLS,\nIAM auth)");
    // The repository says it replicates; the arrow, unlabelled, needs no room beside the others.
    flow(first("aws_ecr_repository"), sService, "", "style=dashed");
    for (const b of replicas) flow(b.id, sService, "reads", "style=dashed");
    if (!sAurora) flow(sService, sDb, "IAM auth (TLS)");
    place(lowest, sAlb);
    // The standby under the primary, column for column: the picture stays one region wide.
    place(alb, sAlb, 10);
    place(service, sService, 10);
    place(usesAurora ? aurora : db, sFirst("aws_rds_cluster") ?? sDb, 10);
  }
  lines.push("}");
  return lines.join("\n");
}

/** The buckets' physical names, as one pattern under the title: "<role>" stands for each node's. */
function bucketNames(buckets: { name: string; body: Record<string, any> }[]): string {
  const patterns = buckets.map((b) => {
    const role = b.name.replace(/^storage_/, "").replace(/_/g, "-");
    return String(b.body.bucket)
      .replace(`-${role}-`, "-<role>-")
      .replace(/-(replica-)?[a-z]{2}-[a-z]+-\d-/, "-$1<region>-");
  });
  const unique = [...new Set(patterns)];
  return unique.length === 1 ? `\nS3 buckets: ${unique[0]}` : "";
}

/** The VPC box's caption: its zones, the subnets of each tier, the gateways and the endpoints. */
function networkLabel(each: (type: string) => { id: string; body: Record<string, any> }[]): string[] {
  const subnets = each("aws_subnet");
  const zones = [...new Set(subnets.map((s) => String(s.body.availability_zone)))].sort();
  const tier = (name: string) =>
    subnets
      .filter((s) => String(s.body.tags?.Tier ?? "").toLowerCase() === name)
      .sort((a, b) => String(a.body.availability_zone).localeCompare(String(b.body.availability_zone)))
      .map((s) => s.body.cidr_block);
  const nats = each("aws_nat_gateway").length;
  const gateways = [...(each("aws_internet_gateway").length > 0 ? ["internet gateway"] : []), nats > 0 ? plural(nats, "NAT gateway") : "no NAT gateway"];
  const endpoints = each("aws_vpc_endpoint");
  const services = (type: string) =>
    endpoints.filter((e) => e.body.vpc_endpoint_type === type).map((e) => String(e.body.service_name).split(".").slice(3).join("."));
  const endpointLines = ["Gateway", "Interface"]
    .filter((type) => services(type).length > 0)
    .map((type) => `${type.toLowerCase()} endpoints:\n  ${lineBroken(services(type).join(", "), 20).replace(/\n/g, "\n  ")}`);
  return [
    `zones ${zones.join(", ")}`,
    "public subnets",
    `  ${tier("public").join(", ")}`,
    "private subnets",
    `  ${tier("private").join(", ")}`,
    ...lineBroken(gateways.join(", "), 20).split("\n"),
    ...endpointLines.flatMap((line) => line.split("\n")),
  ];
}

/** A DOT label of left-justified lines (each ended by \l, which JSON cannot write). */
function leftJustified(lines: string[]): string {
  return `"${lines.map((line) => line.replace(/[\\"]/g, (c) => `\\${c}`)).join("\\l")}\\l"`;
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
