/**
 * The runbooks of the 100000-users tier, as data: the failover and fail-back of an Aurora Global
 * Database (npm run failover) and the move from the RDS instance to Aurora (npm run migrate).
 */
import { migrationPhase, migrationSteps } from "../tools/lib/ops/aurora-migration";
import type { DeploymentSettings } from "../src/validation";
import { failbackSteps, failoverSteps, modeSetting, recoveryMinutes } from "../tools/lib/ops/dr-runbook";
import { configOf } from "./helpers";

type ProdSettings = NonNullable<DeploymentSettings["environments"]>[string];
const failoverOrigin = { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" };
const national = (prod: ProdSettings = {}) => configOf("prod", { environments: { prod: { size: "100000-users", dr: { failoverOrigin }, ...prod } } });
const titles = (steps: { title: string }[]) => steps.map((s) => s.title);
const commands = (steps: { commands: readonly string[] }[]) => steps.flatMap((s) => s.commands).join("\n");

describe("failover of an Aurora Global Database", () => {
  test("GIVEN a serving standby WHEN it fails over THEN the global database's managed failover comes first, then the standby is recorded and deployed active", () => {
    const steps = failoverSteps(national());
    expect(titles(steps)).toEqual([
      "Check the standby and how far its secondary is behind",
      "Fail the global database over to the standby's cluster",
      "Record prod-dr as active",
      "Deploy prod-dr in active mode",
      "Scale the standby to prod's task count",
      "Send every request to the standby",
      "Check the dashboard answers",
    ]);
    expect(steps[2].setting).toEqual({ path: modeSetting("prod"), value: "active" });
  });

  test("WHEN it fails over THEN the command promotes prod-dr's cluster by its ARN, allowing the loss of what was not replicated", () => {
    expect(commands(failoverSteps(national()))).toContain(
      "aws rds failover-global-cluster --global-cluster-identifier smh-dashboard-prod-global --target-db-cluster-identifier arn:aws:rds:us-west-2:123456789012:cluster:smh-dashboard-prod-dr-aurora --allow-data-loss --region us-west-2",
    );
  });

  test("GIVEN a pilot light WHEN it fails over THEN the secondary's instances are deployed before the failover (a headless cluster cannot be promoted)", () => {
    const steps = titles(failoverSteps(national({ dr: { mode: "pilot-light", standbyTrafficPercent: 0 } })));
    expect(steps.indexOf("Deploy prod-dr in active mode")).toBeLessThan(steps.indexOf("Fail the global database over to the standby's cluster"));
  });

  test("the recovery takes longest from a pilot light and needs no replica promotion from a warm standby", () => {
    const [warm, pilot] = [
      national({ dr: { mode: "warm-standby", standbyTrafficPercent: 0, failoverOrigin } }),
      national({ dr: { mode: "pilot-light", standbyTrafficPercent: 0 } }),
    ].map((c) => recoveryMinutes(c));
    expect(warm[1]).toBeLessThan(pilot[1]);
    expect(commands(failoverSteps(national({ dr: { mode: "warm-standby", standbyTrafficPercent: 0, failoverOrigin } })))).not.toContain("promote-read-replica");
  });

  test("WHEN prod returns THEN a switchover (no data loss) brings the writer back, and the standby goes back to serving", () => {
    const steps = failbackSteps(national({ dr: { mode: "active", failoverOrigin } }));
    expect(commands(steps)).toContain(
      "aws rds switchover-global-cluster --global-cluster-identifier smh-dashboard-prod-global --target-db-cluster-identifier arn:aws:rds:us-east-1:123456789012:cluster:smh-dashboard-prod-aurora --region us-east-1",
    );
    expect(commands(steps)).not.toMatch(/state rm|import|create-db-instance-read-replica/);
    expect(steps.find((s) => s.setting)?.setting).toEqual({ path: modeSetting("prod"), value: "serving" });
  });
});

describe("moving prod from its instance to Aurora (npm run migrate)", () => {
  test("GIVEN prod on its instance WHEN the move starts THEN the tasks stay on the instance and the cluster replicates it", () => {
    const config = configOf("prod");
    expect(migrationPhase(config)).toBe("replicate");
    const settings = migrationSteps(config).flatMap((s) => (s.setting ? [[s.setting.path.split(".").slice(-2).join("."), s.setting.value]] : []));
    expect(settings).toEqual([
      ["database.engine", "postgres"],
      ["database.migration", "replicating"],
    ]);
  });

  test("GIVEN prod switched to Aurora without its data moved WHEN asked to move THEN it refuses, saying how to start from the instance", () => {
    expect(() => migrationSteps(national())).toThrow(/nothing records that its RDS instance's data moved there .* set database\.engine "postgres"/);
  });

  test("GIVEN a replicating cluster WHEN it is promoted THEN the tasks stop first, the lag reaches 0, and the instance is kept", () => {
    const steps = migrationSteps(
      national({ database: { engine: "postgres", migration: "replicating" }, dr: { mode: "warm-standby", standbyTrafficPercent: 0 } }),
    );
    const text = titles(steps);
    expect(text.indexOf("Open the write-free window: stop the tasks")).toBeLessThan(text.indexOf("Promote the Aurora cluster"));
    expect(text.indexOf("Wait until the replica has every change")).toBeLessThan(text.indexOf("Promote the Aurora cluster"));
    expect(commands(steps)).toContain("aws rds promote-read-replica-db-cluster --db-cluster-identifier smh-dashboard-prod-aurora --region us-east-1");
    expect(steps.filter((s) => s.setting).map((s) => s.setting!.value)).toEqual(["aurora-postgresql", "promoted"]);
  });

  test("GIVEN a promoted cluster with the instance kept WHEN it retires THEN the replica goes before its source, the instance leaves a last snapshot, and both leave the states instead of being destroyed by a plan", () => {
    const text = commands(migrationSteps(national({ database: { migration: "promoted" } })));
    expect(text.indexOf("--db-instance-identifier smh-dashboard-prod-dr-db")).toBeLessThan(
      text.indexOf("delete-db-instance --db-instance-identifier smh-dashboard-prod-db "),
    );
    expect(text).toContain("--final-db-snapshot-identifier smh-dashboard-prod-db-retired");
    expect(text).toContain("state rm aws_db_instance.database");
    expect(text).toContain("state rm aws_db_instance.replica");
  });

  test("GIVEN Aurora without an instance WHEN asked to move THEN it says there is nothing to move", () => {
    expect(() => migrationSteps(national({ database: { migration: "instance-retired" } }))).toThrow(/already runs on Aurora without an RDS instance/);
  });
});
