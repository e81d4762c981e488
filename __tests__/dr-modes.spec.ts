/**
 * Changing prod's standby between DR modes, planned by Terraform against a deployed standby (the
 * terraform tier: this starts Terraform; dr.spec holds what the synthesized stack says).
 */
import * as path from "path";
import type { DeploymentSettings } from "../src/validation";
import { deployBase, planChange } from "../tools/lib/review/deployed";
import { effectiveChanges, setupTerraform, WORK_ROOT } from "../tools/lib/terraform/harness";
import { synthStandby, type TerraformJson } from "./helpers";

jest.setTimeout(300_000);

type ProdSettings = DeploymentSettings["environments"] extends infer E ? (E extends Record<string, infer P> ? P : never) : never;

/** prod's DR stack with extra settings for prod. */
function drStack(prod: ProdSettings = {}): TerraformJson {
  return synthStandby("prod", { environments: { prod } });
}

describe("changing the mode", () => {
  test("pilot-light -> warm-standby -> active plans in-place updates: the database is never replaced or destroyed", () => {
    const setup = setupTerraform();
    const pilot = drStack({ dr: { mode: "pilot-light" } });
    const base = deployBase(setup, "prod-dr", pilot, path.join(WORK_ROOT, "dr-modes", "prod-dr"));
    expect(base.residual).toEqual([]);
    // warm-standby adds NAT and leaves the replica as it is; active promotes it in place.
    for (const [mode, expected] of [
      ["warm-standby", []],
      ["active", ["update"]],
    ] as const) {
      const changes = effectiveChanges(planChange(setup, base, pilot, drStack({ dr: { mode } })));
      const db = changes.filter((c) => c.address === "aws_db_instance.replica").map((c) => c.change.actions.join("/"));
      expect({ mode, db }).toEqual({ mode, db: expected });
      expect(
        changes.filter((c) => c.change.actions.includes("delete") && /aws_(db_instance|kms_key|s3_bucket|cloudwatch_log_group)\./.test(c.address)),
      ).toEqual([]);
    }
  });
});
