/**
 * What npm run review prints on the console, on hand-made plan entries: one short line per flag
 * (the full detail is change.md's), no line that says nothing, each fingerprint once; and the
 * acknowledgements that accept nothing: named only for the stacks the run reviewed, with when and
 * how to remove them (--prune-acknowledgements).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type Acknowledgement, pruneAcknowledgements, readAcknowledgements } from "../tools/lib/review/acknowledgements";
import { renderStackChange, reviewChange, summaryOf } from "../tools/lib/review/change-report";
import { pruneCommand, runVerdict, stackLines, verdictLines } from "../tools/lib/review/review";
import type { ResourceChange } from "../tools/lib/terraform/plan-json";
import { planEntry } from "./plan-entries";

const update = (type: string, name: string, before: object, after: object, afterUnknown: object = {}): ResourceChange =>
  planEntry(type, ["update"], before, after, { after_unknown: afterUnknown }, name);

const shrunk = () => update("aws_db_instance", "database", { allocated_storage: 100 }, { allocated_storage: 50 });
const unknownPolicy = (name: string) => update("aws_iam_role_policy", name, { policy: "{}" }, { policy: null }, { policy: true });
const OPTIONS = { check: true, acknowledgementsFile: "change-acknowledgements.json", base: "main" };

describe("one line per flag", () => {
  const change = reviewChange("prod", { resource_changes: [shrunk()] });
  const [flag] = change.flags;
  const lines = stackLines(change, "review");

  test("GIVEN a refused flag with a long detail THEN its console line is its kind, address, rule and fingerprint, a short summary and the fix, without the detail's citation", () => {
    expect(lines.slice(1)).toEqual([
      `  refused: aws_db_instance.database [storage-shrunk #${flag.fingerprint}]: allocated_storage drops from 100 to 50 GiB, which RDS refuses: the apply fails here. Fix: keep the size`,
    ]);
    expect(flag.detail).toContain('RDS User Guide, "Increasing DB instance storage capacity"');
  });

  test("GIVEN a replaced database THEN its line names what forces the replacement, before and after; GIVEN a refused delete THEN its line ends with the fix", () => {
    const replaced = reviewChange("prod", {
      resource_changes: [
        planEntry(
          "aws_db_instance",
          ["delete", "create"],
          { db_name: "dashboard", deletion_protection: false },
          { db_name: "dash2", deletion_protection: false },
          { replace_paths: [["db_name"]] },
          "database",
        ),
      ],
    });
    expect(stackLines(replaced, "review").find((l) => l.includes("data-replaced"))).toMatch(
      /^ {2}data at risk: aws_db_instance\.database \(db_name: "dashboard" -> "dash2"\) \[data-replaced #[0-9a-f]{12}\]: /,
    );
    const protectedDelete = reviewChange("prod", {
      resource_changes: [planEntry("aws_db_instance", ["delete"], { deletion_protection: true }, null, {}, "database")],
    });
    expect(stackLines(protectedDelete, "review").find((l) => l.includes("delete-refused"))).toMatch(
      /\. Fix: turn deletion protection off in a change of its own first$/,
    );
  });

  test("GIVEN a replaced load balancer and a new rule THEN the first line says what forces the replace, the second adds nothing to its summary", () => {
    const lines = stackLines(
      reviewChange("dev", {
        resource_changes: [
          planEntry("aws_lb", ["delete", "create"], { internal: false }, { internal: true }, { replace_paths: [["internal"]] }, "load_balancer"),
          planEntry(
            "aws_vpc_security_group_ingress_rule",
            ["create"],
            null,
            { ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv4: "10.0.0.0/16" },
            {},
            "vpc_origin_in",
          ),
        ],
      }),
      "review",
    );
    expect(lines.find((l) => l.includes("entry-point-replaced"))).toMatch(
      /^ {2}availability: aws_lb\.load_balancer \(forced by internal\) \[entry-point-replaced #/,
    );
    expect(lines.find((l) => l.includes("rule-opened"))).toMatch(/^ {2}exposure: aws_vpc_security_group_ingress_rule\.vpc_origin_in \[rule-opened #/);
  });

  test("GIVEN the same flag THEN change.md keeps its full detail", () => {
    expect(renderStackChange(change)).toContain(flag.detail);
  });

  test("GIVEN a refused major upgrade THEN the line ends with the setting to set", () => {
    const upgrade = reviewChange("prod", { resource_changes: [update("aws_db_instance", "database", { engine_version: "15" }, { engine_version: "16" })] });
    expect(stackLines(upgrade, "review")[1]).toMatch(
      /^ {2}refused: aws_db_instance\.database \[major-upgrade #[0-9a-f]{12}\]: engine_version 15 -> 16 is a major upgrade and allow_major_version_upgrade is not true: RDS refuses it: the apply fails here\. Fix: set database\.majorUpgradeFrom to the major it runs now, which sets allow_major_version_upgrade with the new version$/,
    );
  });

  test("GIVEN a replica moved to the next family THEN its line says so and ends with the fix: acknowledge once the upgrade is done", () => {
    const replica = update(
      "aws_db_instance",
      "replica",
      { replicate_source_db: "arn:aws:rds:us-east-1:1:db:prod-db", engine_version: "", parameter_group_name: "old" },
      { replicate_source_db: "arn:aws:rds:us-east-1:1:db:prod-db", engine_version: "", parameter_group_name: null },
      { parameter_group_name: true },
    );
    const group: ResourceChange = {
      ...update("aws_db_parameter_group", "replica_params", { family: "postgres15" }, { family: "postgres16" }),
      change: {
        actions: ["create", "delete"],
        before: { family: "postgres15" },
        after: { family: "postgres16" },
        after_unknown: {},
        replace_paths: [["family"]],
      },
    };
    const context = {
      headConfiguration: { resource: { aws_db_instance: { replica: { parameter_group_name: "${aws_db_parameter_group.replica_params.name}" } } } },
    };
    const [line] = stackLines(reviewChange("prod-dr", { resource_changes: [replica, group] }, undefined, context), "review").slice(1);
    expect(line).toMatch(
      /^ {2}refused: aws_db_instance\.replica \(parameter_group_name: "postgres15" -> "postgres16"\) \[replica-parameter-family #[0-9a-f]{12}\]: the read replica would take aws_db_parameter_group\.replica_params of family postgres16, ahead of the replica's engine\. Fix: once its source's upgrade has completed, which the review cannot see, acknowledge this flag saying so$/,
    );
  });

  test("GIVEN three policies known only after apply THEN the console says it in one line naming the three, not one line each", () => {
    const policies = reviewChange("prod", { resource_changes: [unknownPolicy("a"), unknownPolicy("b"), unknownPolicy("c")] });
    expect(policies.flags).toHaveLength(3);
    expect(stackLines(policies, "review").slice(1)).toEqual([
      "  exposure: 3 resource(s) [policy-loosened]: the policy is only known after apply: review it in the real plan (aws_iam_role_policy.a, aws_iam_role_policy.b, aws_iam_role_policy.c)",
    ]);
  });

  test("GIVEN any detail THEN the summary is at most 160 characters", () => {
    expect(summaryOf(`${"a long clause ".repeat(20)}: and more`).length).toBeLessThanOrEqual(160);
    expect(summaryOf("short: and what follows. A second sentence")).toBe("short: and what follows");
    // An abbreviation ends no sentence: the many-grants flag keeps its example.
    expect(summaryOf("15 new grants, e.g. allows iam:CreateRole on x; allows y: read the policy in the plan")).toBe(
      "15 new grants, e.g. allows iam:CreateRole on x",
    );
  });
});

describe("acknowledgements that accept no flag", () => {
  const stale: Acknowledgement = {
    stack: "prod-dr",
    address: "aws_db_instance.replica",
    rule: "data-replaced",
    fingerprint: "637896b22f63",
    reason: "the replica is re-created from prod's database, which holds the data",
  };
  const reviewOf = (stack: string, status: "changed" | "unchanged") => ({
    change: { stack, counts: { create: 0, update: 0, replace: 0, destroy: 0, move: 0, "no-op": 1 }, changes: [], flags: [], unverifiable: [] },
    status,
  });

  test("GIVEN a stale acknowledgement of a stack this run did not plan (unchanged) THEN nothing is said of it", () => {
    const verdict = runVerdict([reviewOf("prod", "changed"), reviewOf("prod-dr", "unchanged")], [stale]);
    expect(verdict.unused).toEqual([]);
    expect(verdictLines(verdict, OPTIONS).join("\n")).not.toContain("acknowledgement");
  });

  test("GIVEN a stale acknowledgement of an unchanged stack named with --stack THEN it is named, so that the prune command can remove it", () => {
    const verdict = runVerdict([reviewOf("prod-dr", "unchanged")], [stale], ["prod-dr"]);
    expect(verdict.unused.map((u) => u.acknowledgement)).toEqual([stale]);
  });

  test("GIVEN a stale acknowledgement of a stack this run planned THEN it is named once, with when it is safe to remove and the exact command", () => {
    const lines = verdictLines(runVerdict([reviewOf("prod-dr", "changed")], [stale]), OPTIONS);
    expect(lines).toEqual([
      "acknowledgement accepts no flag of this change: prod-dr aws_db_instance.replica [data-replaced] #637896b22f63",
      "  its change is in the base (main) or no longer made: once main is deployed to prod-dr, remove it from change-acknowledgements.json with: npm run review -- --base main --stack prod-dr --prune-acknowledgements",
      "",
      "check passed: no unacknowledged data-at-risk or refused flag.",
    ]);
  });

  test("GIVEN a stale acknowledgement of a reviewed stack and one of a stack not reviewed THEN --prune-acknowledgements removes only the first, keeping the rest of the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acks-"));
    const file = path.join(dir, "change-acknowledgements.json");
    const kept = {
      stack: "prod",
      address: "aws_db_instance.database",
      rule: "storage-shrunk",
      fingerprint: "0123456789ab",
      reason: "restored from a snapshot first (CHG-7)",
    };
    // the file's keys in another order than the schema's: the entry is still found
    const { reason, ...rest } = stale;
    fs.writeFileSync(file, JSON.stringify({ $comment: "why this file", acknowledgements: [{ reason, ...rest }, kept] }, null, 2));
    const verdict = runVerdict([reviewOf("prod-dr", "changed")], readAcknowledgements(file));
    expect(
      pruneAcknowledgements(
        file,
        verdict.unused.map((u) => u.acknowledgement),
      ),
    ).toEqual([expect.objectContaining({ fingerprint: "637896b22f63" })]);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ $comment: "why this file", acknowledgements: [kept] });
    expect(pruneCommand("abc1234", ["prod-dr", "prod-dr", "prod"])).toBe(
      "npm run review -- --base abc1234 --stack prod-dr --stack prod --prune-acknowledgements",
    );
    expect(pruneCommand("main", ["prod"], "ops/acks.json")).toBe(
      "npm run review -- --base main --stack prod --acknowledgements ops/acks.json --prune-acknowledgements",
    );
  });
});
