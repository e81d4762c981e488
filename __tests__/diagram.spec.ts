/**
 * The committed diagrams (npm run diagram) show the architecture the configuration has: every
 * major resource as a node and every drawn flow as an edge. Layout and styling are the
 * renderer's business and are not compared.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diagramDot, DIAGRAM_DIR, REVIEW_DIAGRAM_DIR, writeDiagrams } from "../tools/lib/ops/diagrams";
import { drawnAddresses, environmentDot, standbyId } from "../tools/lib/ops/diagram";
import { drJson, environmentJson } from "../tools/lib/ops/estimate";
import { environmentNames } from "../src/validation";
import { committedSettings, PROJECT_ROOT } from "../src/validation/deployment";

/** The edges of a DOT graph, as "from->to". */
function edgesOf(dot: string): string[] {
  return [...dot.matchAll(/^\s*"([^"]+)" -> "([^"]+)"/gm)].map((m) => `${m[1]}->${m[2]}`);
}

/** The node and edge titles of a Graphviz SVG, unescaped. */
function titlesOf(svg: string): Set<string> {
  return new Set([...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1].replace(/&#45;/g, "-").replace(/&gt;/g, ">")));
}

/**
 * The boxes of a Graphviz SVG's texts, from their anchor, position and font size; DejaVu Sans
 * (the renderer's font) averages about 0.6 em per character, so the width is an estimate.
 */
function textBoxes(svg: string): { text: string; x0: number; x1: number; y0: number; y1: number }[] {
  return [...svg.matchAll(/<text[^>]*text-anchor="(\w+)" x="([-\d.]+)" y="([-\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => {
    const [anchor, x, y, size, text] = [m[1], Number(m[2]), Number(m[3]), Number(m[4]), m[5].replace(/&#45;/g, "-")];
    const width = text.length * size * 0.6;
    const x0 = anchor === "middle" ? x - width / 2 : anchor === "end" ? x - width : x;
    return { text, x0, x1: x0 + width, y0: y - size * 0.8, y1: y + size * 0.2 };
  });
}

// Every environment of the committed settings has its committed picture.
describe.each(environmentNames(committedSettings()))("diagram of %s", (environment) => {
  const json = environmentJson(environment);
  const dot = diagramDot(environment);
  const committed = titlesOf(fs.readFileSync(path.join(DIAGRAM_DIR, `${environment}.svg`), "utf8"));

  test("the committed picture has a node for every major resource of the stack", () => {
    const addresses = drawnAddresses(json);
    expect(addresses.length).toBeGreaterThan(20);
    expect(addresses.filter((address) => !committed.has(address))).toEqual([]);
  });

  test("the committed picture has every flow the configuration draws, and no other", () => {
    const edges = edgesOf(dot);
    expect(edges.length).toBeGreaterThan(10);
    expect(edges.filter((edge) => !committed.has(edge))).toEqual([]);
    expect([...committed].filter((title) => title.includes("->") && !edges.includes(title))).toEqual([]);
  });

  test("no two texts of the committed picture overlap (a label under CloudFront once did)", () => {
    const boxes = textBoxes(fs.readFileSync(path.join(DIAGRAM_DIR, `${environment}.svg`), "utf8"));
    expect(boxes.length).toBeGreaterThan(20);
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
        .map((b) => `${a.text} / ${b.text}`),
    );
    expect(overlapping).toEqual([]);
  });

  test("shows the zones, the DR region and the seed's data flows", () => {
    for (const expected of [
      "us-east-1a",
      "us-east-1b",
      "us-west-2 (disaster recovery)",
      "1. User Request Flow",
      "3. ML Prediction Flow: load model",
      "Terraform state",
    ]) {
      expect(dot).toContain(expected);
    }
  });
});

test("prod's users reach CloudFront, which reaches the ALB through its VPC origin and the static bucket; dev's users reach the ALB", () => {
  const prod = edgesOf(environmentDot("prod", environmentJson("prod")));
  expect(prod).toEqual(
    expect.arrayContaining([
      "users->aws_cloudfront_distribution.cdn",
      "aws_cloudfront_distribution.cdn->aws_lb.load_balancer",
      "aws_cloudfront_distribution.cdn->aws_s3_bucket.storage_static",
      "aws_wafv2_web_acl.waf->aws_cloudfront_distribution.cdn",
    ]),
  );
  const dev = edgesOf(environmentDot("dev", environmentJson("dev")));
  expect(dev).toContain("users->aws_lb.load_balancer");
  expect(dev.filter((e) => e.includes("cloudfront"))).toEqual([]);
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
    expect(fs.readFileSync(path.join(scratch, "out", "sbxalice.svg"), "utf8")).toContain("smh&#45;dashboard&#45;sbxalice&#45;data");
    expect(fs.statSync(path.join(scratch, "out", "sbxalice.png")).size).toBeGreaterThan(0);
  } finally {
    if (previous === undefined) delete process.env.DEPLOYMENT_SETTINGS;
    else process.env.DEPLOYMENT_SETTINGS = previous;
  }
});

describe("npm run diagram's arguments", () => {
  const diagram = (...args: string[]) =>
    spawnSync(process.execPath, ["--require", "esbuild-register", "tools/diagram.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

  test.each([[["--bogus"]], [["--out"]], [["--docs", "--out", "x"]]])("GIVEN %j THEN it refuses with the usage and writes nothing", (args) => {
    const result = diagram(...args);
    expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({
      status: 2,
      stderr: expect.stringMatching(/^npm run diagram: unknown or incomplete arguments: .*\. Usage: npm run diagram \[-- --out <dir> \| --docs\]$/),
    });
    expect(result.stdout).toBe("");
  });

  test("GIVEN no argument THEN the pictures go to review/diagrams, a git-ignored folder, not to the committed docs/diagrams", () => {
    expect(path.relative(PROJECT_ROOT, REVIEW_DIAGRAM_DIR)).toBe(path.join("review", "diagrams"));
    expect(spawnSync("git", ["check-ignore", "-q", path.join(REVIEW_DIAGRAM_DIR, "prod.svg")], { cwd: PROJECT_ROOT }).status).toBe(0);
    expect(spawnSync("git", ["check-ignore", "-q", path.join(DIAGRAM_DIR, "prod.svg")], { cwd: PROJECT_ROOT }).status).toBe(1);
  });
});
