/**
 * The committed picture of prod at 100000-users (docs/diagrams/prod-100000-users.svg, npm run
 * diagram) shows the new parts: Aurora and its global database, the cache in each region, the
 * function that splits the viewers, and their flows.
 */
import * as fs from "fs";
import * as path from "path";
import { DIAGRAM_DIR, diagramDot } from "../tools/lib/ops/diagrams";
import { standbyId } from "../tools/lib/ops/diagram";

const titles = new Set(
  [...fs.readFileSync(path.join(DIAGRAM_DIR, "prod-100000-users.svg"), "utf8").matchAll(/<title>([^<]*)<\/title>/g)].map((m) =>
    m[1].replace(/&#45;/g, "-").replace(/&gt;/g, ">"),
  ),
);
const dot = diagramDot("prod", "100000-users");
const edges = [...dot.matchAll(/^\s*"([^"]+)" -> "([^"]+)"(?!.*style=invis)/gm)].map((m) => `${m[1]}->${m[2]}`);
const standby = (type: string, name: string) => standbyId("prod-dr", type, name);

test("the committed picture is the one the configuration draws: every flow, and no other", () => {
  expect(edges.filter((e) => !titles.has(e))).toEqual([]);
  expect([...titles].filter((t) => t.includes("->") && !edges.includes(t))).toEqual([]);
});

test("it shows Aurora, the global database, the cache in both regions and the standby-share function", () => {
  const nodes = [
    "aws_rds_cluster.aurora",
    "aws_rds_global_cluster.aurora_global",
    "aws_elasticache_replication_group.cache",
    "aws_cloudfront_function.cdn_standby_share",
    standby("aws_rds_cluster", "aurora"),
    standby("aws_elasticache_replication_group", "cache"),
  ];
  expect(nodes.filter((n) => !titles.has(n))).toEqual([]);
});

test("the tasks of each region use its own Aurora cluster and cache; the global database replicates to the standby", () => {
  expect(edges).toEqual(
    expect.arrayContaining([
      "aws_ecs_service.app_service->aws_rds_cluster.aurora",
      "aws_ecs_service.app_service->aws_elasticache_replication_group.cache",
      "aws_rds_cluster.aurora->aws_rds_global_cluster.aurora_global",
      `aws_rds_global_cluster.aurora_global->${standby("aws_rds_cluster", "aurora")}`,
      `${standby("aws_ecs_service", "app_service")}->${standby("aws_rds_cluster", "aurora")}`,
      `${standby("aws_ecs_service", "app_service")}->${standby("aws_elasticache_replication_group", "cache")}`,
    ]),
  );
});
