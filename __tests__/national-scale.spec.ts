/**
 * prod at size 100000-users (Aurora global database, a cache in each region, a serving standby)
 * through real Terraform, offline, as terraform.spec does for the committed stacks: one plan of
 * prod and one of prod-dr, and one `terraform test` run each, tests/terraform/<stack>-100000-users
 * (the committed stacks' files test what the sizes share, in terraform.spec; each run is a plan,
 * so the suite pays for the new parts only).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initOffline, planJson, plannedChanges, prepareWorkDir, setupTerraform, terraform, TFTEST_ROOT, WORK_ROOT } from "../tools/lib/terraform/harness";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";

jest.setTimeout(600_000);

const setup = setupTerraform();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "national-"));
const settings = path.join(scratch, "100000-users.json");
fs.writeFileSync(
  settings,
  JSON.stringify({
    environments: { prod: { size: "100000-users", dr: { failoverOrigin: { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" } } } },
  }),
);
const stacks = cachedSynthesis({ outdir: path.join(scratch, "synth"), settings: projectSettings({ ...process.env, DEPLOYMENT_SETTINGS: settings }) }).stacks;

describe.each(["prod", "prod-dr"])("%s at 100000-users", (name) => {
  let dir: string;

  beforeAll(() => {
    const stack = stacks.find((s) => s.name === name)!;
    dir = prepareWorkDir(name, stack.file, stack.isEnvironment, path.join(WORK_ROOT, "national-scale"));
    const tests = path.join(dir, "tests");
    for (const file of fs.readdirSync(tests).filter((f) => f.endsWith(".tftest.hcl"))) fs.rmSync(path.join(tests, file));
    const own = path.join(TFTEST_ROOT, `${name}-100000-users`);
    for (const file of fs.readdirSync(own)) fs.copyFileSync(path.join(own, file), path.join(tests, file));
    initOffline(setup, dir);
  });

  test("terraform plan (offline) creates every resource, Aurora and the cache among them, and destroys nothing", () => {
    const changes = plannedChanges(planJson(setup, dir)).filter((c) => !c.address.startsWith("data."));
    expect(changes.filter((c) => c.actions.join() !== "create")).toEqual([]);
    expect(changes.map((c) => c.address)).toEqual(
      expect.arrayContaining(["aws_rds_cluster.aurora", "aws_rds_cluster_instance.aurora_instance_b", "aws_elasticache_replication_group.cache"]),
    );
    if (name === "prod")
      expect(changes.map((c) => c.address)).toEqual(
        expect.arrayContaining(["aws_rds_global_cluster.aurora_global", "aws_cloudfront_function.cdn_standby_share"]),
      );
  });

  test("terraform test", () => {
    const result = terraform(setup, dir, ["test"]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Success! 1 passed, 0 failed/);
    expect(result.code).toBe(0);
  });
});
