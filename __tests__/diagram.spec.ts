/**
 * The committed diagrams (npm run diagram) show the architecture the configuration has: every
 * major resource as a node and every drawn flow as an edge. Layout and styling are the
 * renderer's business and are not compared.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diagramDot, DIAGRAM_DIR, diagramOutput, REVIEW_DIAGRAM_DIR, writeDiagrams } from "../tools/lib/ops/diagrams";
import { drawnAddresses, environmentDot, standbyId } from "../tools/lib/ops/diagram";
import { drJson, environmentJson } from "../tools/lib/ops/estimate";
import { environmentNames } from "../src/validation";
import { committedSettings, PROJECT_ROOT } from "../src/validation/deployment";

/** The drawn edges of a DOT graph, as "from->to" (not the invisible ones that only place nodes). */
function edgesOf(dot: string): string[] {
  return [...dot.matchAll(/^\s*"([^"]+)" -> "([^"]+)"(?!.*style=invis)/gm)].map((m) => `${m[1]}->${m[2]}`);
}

const unescaped = (s: string) => s.replace(/&#45;/g, "-").replace(/&gt;/g, ">").replace(/&#10;/g, "\n");

/** The node and edge titles of a Graphviz SVG, unescaped. */
function titlesOf(svg: string): Set<string> {
  return new Set([...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => unescaped(m[1])));
}

/** What the SVG's nodes stand for: their titles, and the addresses a node drawn for several resources lists in its tooltip. */
function drawnIn(svg: string): Set<string> {
  const tooltips = [...svg.matchAll(/xlink:title="([^"]*)"/g)].flatMap((m) => unescaped(m[1]).split("\n"));
  return new Set([...titlesOf(svg), ...tooltips]);
}

// Every environment of the committed settings has its committed picture.
describe.each(environmentNames(committedSettings()))("diagram of %s", (environment) => {
  const json = environmentJson(environment);
  const dot = diagramDot(environment);
  const committed = titlesOf(fs.readFileSync(path.join(DIAGRAM_DIR, `${environment}.svg`), "utf8"));

  test("the committed picture draws every major resource of the stack: as a node, or listed by the node that stands for its kind", () => {
    const addresses = drawnAddresses(json);
    const drawn = drawnIn(fs.readFileSync(path.join(DIAGRAM_DIR, `${environment}.svg`), "utf8"));
    expect(addresses.length).toBeGreaterThan(20);
    expect(addresses.filter((address) => !drawn.has(address))).toEqual([]);
  });

  test("the committed picture has every flow the configuration draws, and no other", () => {
    const edges = edgesOf(dot);
    expect(edges.length).toBeGreaterThan(8);
    expect(edges.filter((edge) => !committed.has(edge))).toEqual([]);
    expect([...committed].filter((title) => title.includes("->") && !edges.includes(title))).toEqual([]);
  });

  test("shows the zones, the DR region and the seed's data flows", () => {
    for (const expected of [
      "us-east-1a",
      "us-east-1b",
      "us-west-2 (disaster recovery)",
      "1. User Request Flow",
      "3. ML Prediction Flow:\\nload model",
      "Terraform state",
    ]) {
      expect(dot).toContain(expected);
    }
  });
});

test("users reach CloudFront, which reaches the ALB through its VPC origin and the static bucket; prod's web ACL filters it, dev has none", () => {
  const viaCloudFront = [
    "users->aws_cloudfront_distribution.cdn",
    "aws_cloudfront_distribution.cdn->aws_lb.load_balancer",
    "aws_cloudfront_distribution.cdn->aws_s3_bucket.storage_static",
  ];
  const prod = edgesOf(environmentDot("prod", environmentJson("prod")));
  expect(prod).toEqual(expect.arrayContaining([...viaCloudFront, "aws_wafv2_web_acl.waf->aws_cloudfront_distribution.cdn"]));
  const dev = edgesOf(environmentDot("dev", environmentJson("dev")));
  expect(dev).toEqual(expect.arrayContaining(viaCloudFront));
  expect(dev).not.toContain("users->aws_lb.load_balancer");
  expect(dev.filter((e) => e.includes("waf"))).toEqual([]);
  expect(environmentDot("dev", environmentJson("dev"))).toContain("ALB (internal)\\nHTTP 80");
});

test("prod's picture shows its standby in the DR region: the replica, the standby ALB and service, and the arrows of replication and failover", () => {
  const committed = titlesOf(fs.readFileSync(path.join(DIAGRAM_DIR, "prod.svg"), "utf8"));
  const standby = (type: string, name: string) => standbyId("prod-dr", type, name);
  const nodes = [standby("aws_db_instance", "replica"), standby("aws_lb", "load_balancer"), standby("aws_ecs_service", "app_service")];
  expect(nodes.filter((n) => !committed.has(n))).toEqual([]);
  expect(Object.keys(drJson("prod").resource.aws_db_instance)).toEqual(["replica"]);
  const edges = [
    `aws_db_instance.database->${standby("aws_db_instance", "replica")}`,
    `aws_ecr_repository.registry->${standby("aws_ecs_service", "app_service")}`,
    `aws_s3_bucket.storage_models_replica->${standby("aws_ecs_service", "app_service")}`,
    `aws_cloudfront_distribution.cdn->${standby("aws_lb", "load_balancer")}`,
    `${standby("aws_ecs_service", "app_service")}->${standby("aws_db_instance", "replica")}`,
  ];
  expect(edges.filter((e) => !committed.has(e))).toEqual([]);
  // dev has no standby
  expect(diagramDot("dev")).not.toContain("prod-dr:");
});

test("a count of one is counted in words: prod's warm standby runs 1 task, in the picture and the committed SVG", () => {
  // GIVEN prod's standby in warm-standby mode, whose service keeps one task
  expect(drJson("prod").resource.aws_ecs_service.app_service.desired_count).toBe(1);
  // THEN its node says "1 task", never "1 tasks"
  expect(diagramDot("prod")).toContain("standby ECS service\\n1 task, autoscaling");
  const svg = fs.readFileSync(path.join(DIAGRAM_DIR, "prod.svg"), "utf8");
  expect(svg).toContain(">1 task, autoscaling");
  expect(svg).not.toMatch(/>1 tasks\b/);
});

test("npm run diagram draws every environment the settings declare: one added by a DEPLOYMENT_SETTINGS file gets its picture", async () => {
  // GIVEN a settings file that adds a sandbox from the dev preset
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-"));
  fs.writeFileSync(path.join(scratch, "sandbox.json"), JSON.stringify({ environments: { sbxalice: { preset: "dev" } } }));
  const previous = process.env.DEPLOYMENT_SETTINGS;
  process.env.DEPLOYMENT_SETTINGS = path.join(scratch, "sandbox.json");
  try {
    // WHEN the diagrams are drawn
    const written = await writeDiagrams(path.join(scratch, "out"));
    // THEN the sandbox has its SVG and PNG beside dev's and prod's (and prod's at the seed's last size), with its own resources
    expect(written.map((w) => w.name)).toEqual(["dev", "prod", "sbxalice", "prod-100000-users"]);
    expect(fs.readFileSync(path.join(scratch, "out", "sbxalice.svg"), "utf8")).toContain("smh&#45;dashboard&#45;sbxalice&#45;&lt;role&gt;");
    expect(fs.statSync(path.join(scratch, "out", "sbxalice.png")).size).toBeGreaterThan(0);
  } finally {
    if (previous === undefined) delete process.env.DEPLOYMENT_SETTINGS;
    else process.env.DEPLOYMENT_SETTINGS = previous;
  }
});

describe("npm run diagram's arguments", () => {
  const refusal = /^npm run diagram: unknown or incomplete arguments: .*\. Usage: npm run diagram \[-- --out <dir> \| --docs\]$/;

  test('GIVEN ["--bogus"] THEN the command (tools/diagram.ts, as npm run diagram runs it) exits 2 with the refusal and the usage, and writes nothing', () => {
    const result = spawnSync(process.execPath, ["--require", "esbuild-register", "tools/diagram.ts", "--bogus"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({ status: 2, stderr: expect.stringMatching(refusal) });
    expect(result.stdout).toBe("");
  });

  test.each([[["--bogus"]], [["--out"]], [["--docs", "--out", "x"]]])("GIVEN %j THEN it refuses with the usage and writes nothing", (args) => {
    // the command prints the refusal and exits 2 before writing anything (above)
    expect(diagramOutput(args)).toEqual({ refused: expect.stringMatching(refusal) });
  });

  test.each([
    [[], REVIEW_DIAGRAM_DIR],
    [["--docs"], DIAGRAM_DIR],
    [["--out", "x"], path.resolve("x")],
  ])("GIVEN %j THEN it writes into the directory the usage says", (args, dir) => {
    expect(diagramOutput(args)).toEqual({ dir });
  });

  test("GIVEN no argument THEN the pictures go to review/diagrams, a git-ignored folder, not to the committed docs/diagrams", () => {
    expect(path.relative(PROJECT_ROOT, REVIEW_DIAGRAM_DIR)).toBe(path.join("review", "diagrams"));
    expect(spawnSync("git", ["check-ignore", "-q", path.join(REVIEW_DIAGRAM_DIR, "prod.svg")], { cwd: PROJECT_ROOT }).status).toBe(0);
    expect(spawnSync("git", ["check-ignore", "-q", path.join(DIAGRAM_DIR, "prod.svg")], { cwd: PROJECT_ROOT }).status).toBe(1);
  });
});
