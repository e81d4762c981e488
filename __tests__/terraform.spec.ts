/**
 * Every stack that main.ts synthesizes, through real Terraform, offline: init (provider from the
 * mirror when there is one), plan with a local backend and dummy credentials, and the project's
 * own `terraform test` files (tests/terraform) with mocked providers.
 *
 * `terraform plan` validates the configuration before it plans (the same validation walk as
 * `terraform validate`; an invalid configuration fails the plan with the same diagnostics), so a
 * separate `terraform validate` of the JSON would only decode the provider's schema once more.
 * The separate `terraform validate` runs where it catches something else: on each stack's HCL
 * rendering, which is not planned (hcl.spec).
 */
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import {
  initOffline,
  planJson,
  plannedChanges,
  prepareWorkDir,
  setupTerraform,
  terraform,
  tftestFiles,
  type PlannedChange,
  WORK_ROOT,
} from "../tools/lib/terraform/harness";
import { summarizePlan } from "../tools/lib/ops/plan-summary";
import { type DeployedBase, deployBase, plannedActions } from "../tools/lib/review/deployed";
import type { ReviewPlan } from "../tools/lib/terraform/plan-json";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";
import { typesCoveredBy, withUpdatableArgumentsChanged } from "./updatable-arguments";

jest.setTimeout(300_000);

// Fails the whole suite, saying what is missing, when terraform is not installed.
const setup = setupTerraform();
const stacks = cachedSynthesis({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "synth-")), settings: projectSettings() }).stacks;
const jsonOf = (stack: (typeof stacks)[number]) => JSON.parse(fs.readFileSync(stack.file, "utf8"));
// The fewest stacks that hold every resource type of the deployment.
const proving = typesCoveredBy(new Map(stacks.map((s) => [s.name, jsonOf(s)])));

test("main.ts synthesizes dev, prod, the state bootstrap, the account baseline and the CI identity stacks", () => {
  expect(stacks.map((s) => s.name).sort()).toEqual(["baseline", "ci", "dev", "prod", "prod-dr", "state"]);
});

describe.each(stacks.map((s) => [s.name, s] as const))("stack %s", (name, stack) => {
  let dir: string;
  let changes: PlannedChange[];
  let plan: ReviewPlan;
  let deployed: DeployedBase;

  beforeAll(() => {
    dir = prepareWorkDir(name, stack.file, stack.isEnvironment);
    initOffline(setup, dir);
  });

  test("terraform plan (offline), which validates the configuration first, creates every resource and destroys nothing", () => {
    plan = planJson(setup, dir);
    changes = plannedChanges(plan).filter((c) => !c.address.startsWith("data."));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.actions.join() !== "create")).toEqual([]);
    console.log(`${name}: terraform ${setup.version}, plan adds ${changes.length} resources${setup.mirror ? ` (provider from ${setup.mirror})` : ""}`);
  });

  test("the plan summary (npm run plan) lists every resource type the plan adds, with its count", () => {
    const summary = summarizePlan(name, plan);
    expect(summary).toContain(`Resources: ${changes.length} to create.`);
    const byType: Record<string, number> = {};
    for (const c of changes) byType[c.type] = (byType[c.type] ?? 0) + 1;
    for (const [type, count] of Object.entries(byType)) expect(summary).toContain(`| ${type} | ${count} create |`);
  });

  test("deployed offline from its own plan, it plans no change: the change review (npm run review) round-trips it", () => {
    deployed = deployBase(setup, name, jsonOf(stack), path.join(WORK_ROOT, "round-trip", name), plan);
    expect(deployed.residual.map((r) => `${r.address} ${r.change.actions.join("/")}`)).toEqual([]);
    expect(deployed.state.resources.length).toBe(changes.length);
  });

  if (proving.has(name)) {
    test("deployed offline, one updatable argument changed on every resource of every type plans an update of each, never a replace (the offline state holds what the provider writes on create)", () => {
      const { head, changed, missing } = withUpdatableArgumentsChanged(jsonOf(stack));
      expect(missing).toEqual([]);
      expect(changed.size).toBeGreaterThan(0);
      const actions = plannedActions(setup, deployed, head);
      const notUpdated = [...changed]
        .filter(([address]) => actions.get(address) !== "update")
        .map(([address, argument]) => `${address} (${argument}): ${actions.get(address) ?? "no change"}`);
      expect(notUpdated).toEqual([]);
      expect([...actions].filter(([, action]) => action !== "update")).toEqual([]);
    });
  }

  test("terraform test", () => {
    expect(tftestFiles(name, stack.isEnvironment).length).toBeGreaterThan(0);
    const result = terraform(setup, dir, ["test"]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Success! [1-9]\d* passed, 0 failed/);
    expect(result.code).toBe(0);
  });
});
