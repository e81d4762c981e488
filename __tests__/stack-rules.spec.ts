/**
 * The change review's rules on a stack as a whole (tools/lib/review/stack-rules.ts), on the
 * committed stacks and a changed setting each: where the state lives, which regions the providers
 * deploy to, and a stack that leaves the configuration. A plan cannot show any of them.
 */
import { leftReview, stackFlags, unchangedReview, verdictOf } from "../tools/lib/review/review";
import { stateLocation } from "../tools/lib/review/stack-rules";
import { appStacks, type TerraformJson } from "./helpers";

const ROOT = "/checkout";
const committed = appStacks();
const side = (json: TerraformJson | undefined, root = ROOT) => ({ json, root });
/** The DR region moved to us-east-2, with its zones. */
const MOVED = { stateRegion: "us-east-2", environments: { prod: { dr: { availabilityZones: ["us-east-2a", "us-east-2b"] } } } };
const flagsOf = (stack: string, head: Map<string, TerraformJson>) => stackFlags(stack, side(committed.get(stack)), side(head.get(stack)));

describe("where the state lives", () => {
  test("GIVEN the state region moved WHEN prod is reviewed THEN its state is moving: data at risk, the gate fails, and the fix is a state migration", () => {
    const flags = flagsOf("prod", appStacks(MOVED));
    expect(flags.map((f) => [f.rule, f.kind, f.address, f.from, f.to])).toEqual([
      [
        "state-moved",
        "data at risk",
        "terraform.backend",
        "s3://smh-dashboard-tfstate-us-west-2-123456789012/smh-dashboard/prod/terraform.tfstate (us-west-2)",
        "s3://smh-dashboard-tfstate-us-east-2-123456789012/smh-dashboard/prod/terraform.tfstate (us-east-2)",
      ],
      // prod's own DR provider (the bucket replicas, the DR key) moves with the state region
      ["region-moved", "data at risk", "provider.aws.dr", "us-west-2", "us-east-2"],
    ]);
    expect(flags[0].detail).toMatch(/plans to create the \d+ resources that already exist.*terraform init -migrate-state in cdktf.out\/stacks\/prod/);
    const change = { ...unchangedReview("prod", committed.get("prod")!).change, flags };
    expect(verdictOf([change], []).blocking).toHaveLength(2);
  });

  test("GIVEN the state region moved WHEN prod's standby is reviewed THEN its provider leaves us-west-2: the resources there stay, unmanaged", () => {
    const flags = flagsOf("prod-dr", appStacks(MOVED));
    const moved = flags.filter((f) => f.rule === "region-moved");
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((f) => f.kind === "data at risk" && f.from === "us-west-2" && f.to === "us-east-2")).toBe(true);
    expect(moved[0].detail).toMatch(/stay in us-west-2, running and no longer managed.*creates a second set there/);
    expect(flags.map((f) => f.rule)).toContain("state-moved");
  });

  test("GIVEN the state key changed in code WHEN reviewed THEN the state moves", () => {
    const head = structuredClone(committed.get("dev")!);
    head.terraform.backend.s3.key = "smh-dashboard/dev/v2/terraform.tfstate";
    expect(stackFlags("dev", side(committed.get("dev")), side(head)).map((f) => f.rule)).toEqual(["state-moved"]);
  });

  test("GIVEN a local backend named by an absolute path in one tree and by the relative path to the same file in another THEN it is one place: no flag", () => {
    const state = committed.get("state")!;
    const relative = state.terraform.backend.local.path as string;
    const absolute = structuredClone(state);
    absolute.terraform.backend.local.path = "/old-checkout/bootstrap-state/terraform.state.tfstate";
    expect(stateLocation("state", side(absolute, "/old-checkout"))).toBe(stateLocation("state", side(state, "/new-checkout")));
    expect(stateLocation("state", side(state, ROOT))).toBe(`local ${relative}`);
    expect(stackFlags("state", side(absolute, "/old-checkout"), side(state, "/new-checkout"))).toEqual([]);
  });

  test("GIVEN nothing of the stack's place changed THEN no stack flag", () => {
    for (const stack of committed.keys()) expect({ stack, flags: flagsOf(stack, committed) }).toEqual({ stack, flags: [] });
  });
});

describe("a stack that leaves the configuration", () => {
  test("GIVEN prod's standby turned off WHEN reviewed THEN prod-dr is left running, orphaned, with the command that would destroy it; nothing is planned as destroyed", () => {
    const flags = flagsOf("prod-dr", appStacks({ environments: { prod: { dr: { enabled: false } } } }));
    expect(flags.map((f) => [f.rule, f.kind, f.from, f.to])).toEqual([["stack-left", "exposure", "deployed", "left running"]]);
    expect(flags[0].detail).toMatch(/nothing destroys it: cdktf deploy deploys the stacks it has.*npm run destroy -- prod-dr/);
    const review = leftReview("prod-dr", committed.get("prod-dr")!, flags);
    expect(review.status).toBe("removed");
    expect(review.change.counts.destroy).toBe(0);
    expect(review.change.counts["no-op"]).toBe(Object.values(committed.get("prod-dr")!.resource).reduce((n, r) => n + Object.keys(r).length, 0));
  });
});

describe("a shared stack that loses an environment's resources", () => {
  /** staging from the prod preset (a standby, so an image replication), as a team environment. */
  const STAGING = { environments: { staging: { preset: "prod", acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } } } } };
  const withStaging = appStacks(STAGING);
  const lost = (stack: string, base: Map<string, TerraformJson>, head: Map<string, TerraformJson>) =>
    stackFlags(stack, side(base.get(stack)), side(head.get(stack))).filter((f) => f.rule === "environment-lost");

  test("GIVEN a base whose baseline replicates staging's image WHEN the working tree lacks staging THEN the baseline flags the lost replication: data at risk, with both causes' fixes", () => {
    const flags = lost("baseline", withStaging, committed);
    expect(flags.map((f) => [f.kind, f.address, f.from, f.to])).toEqual([
      ["data at risk", "aws_ecr_replication_configuration.ecr_replication", "smh-dashboard-staging-dashboard -> us-west-2", "(not replicated)"],
    ]);
    expect(flags[0].detail).toMatch(
      /ECR stops copying smh-dashboard-staging-dashboard to us-west-2: .* commit environments\/staging\.json if the team deploys it from CI or gives it a standby; otherwise acknowledge the flag$/,
    );
    expect(verdictOf([{ ...unchangedReview("baseline", committed.get("baseline")!).change, flags }], []).blocking).toHaveLength(1);
  });

  test("GIVEN a base with staging WHEN the working tree lacks it THEN only the stacks that held its replication and roles flag a loss", () => {
    expect([...committed.keys()].filter((stack) => lost(stack, withStaging, committed).length > 0)).toEqual(["baseline", "ci"]);
  });

  test("GIVEN a base whose ci has staging's roles WHEN the working tree lacks staging THEN ci flags the pipeline's loss: availability", () => {
    const flags = lost("ci", withStaging, committed);
    expect(flags.map((f) => [f.kind, f.address, f.from, f.to])).toEqual([
      ["availability", "aws_iam_role.staging_deployer", "staging's pipeline roles", "(destroyed)"],
    ]);
    expect(flags[0].detail).toMatch(/CI can no longer publish, plan or deploy staging/);
  });

  test("GIVEN an environment added, or a personal sandbox beside the committed ones WHEN reviewed THEN no stack flags a loss", () => {
    const sandbox = appStacks({ personal: true, environments: { sbxalice: { preset: "sandbox" } } });
    for (const stack of committed.keys()) {
      expect({ stack, added: lost(stack, committed, withStaging), sandbox: lost(stack, committed, sandbox) }).toEqual({ stack, added: [], sandbox: [] });
    }
  });
});
