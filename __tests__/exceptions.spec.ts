/**
 * The scanner exceptions (security/exceptions.json) and the checkov baselines generated from
 * them, checked against a real scan (__tests__/fixtures/checkov-scan-2026-11-29.json): with the
 * baseline, checkov must leave exactly the findings nobody has documented, and nothing for
 * going-live prod. A change of address, of checkov's resource strings or of an exception's
 * settings breaks a test here, not a reviewer's scan.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { baselineResources, type CheckovBaseline, type CheckovFinding, GRAPH_CHECKS, reportedAs, suppressedBy, unparsableBlocks } from "../src/policy/checkov";
import {
  acceptedExceptionsTable,
  addressesOf,
  BASELINE_FILE,
  type ExceptionsFile,
  findingsTable,
  loadExceptions,
  matching,
  type RecordedScan,
  seenIn,
  STACK_KINDS,
  type StackKind,
  unscopableClaimProblems,
} from "../src/validation/exceptions";
import { isDrStack } from "../src/config/naming";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";
import { resolveDeployment } from "../src/validation/deployment";
import type { DeploymentSettings } from "../src/config/settings";
import { RECORDED_SCAN_FILE } from "../tools/lib/docs/sections";

interface Fixture extends RecordedScan {
  settings: Record<string, { overlay: object }>;
  scans: Record<
    string,
    Record<
      string,
      {
        kind: StackKind;
        error?: string;
        counts?: { findings: number; distinctChecks: number; leftWithOldBaseline: number };
        findings?: (CheckovFinding & { reconstructed?: true })[];
      }
    >
  >;
}

const scan = JSON.parse(fs.readFileSync(RECORDED_SCAN_FILE, "utf8")) as Fixture;
const file = loadExceptions();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exceptions-"));

/** The committed settings with `overlay` over them, as committed settings (its environments are the team's, as files of environments/ would be). */
const withOverlay = (overlay: object): DeploymentSettings[] => [...projectSettings(), overlay];

/** Every stack of main.ts synthesized with `overlay` over the committed settings, each with its JSON and written checkov baseline. */
function synthesized(name: string, overlay: object): Record<string, { json: Record<string, any>; baseline: CheckovBaseline }> {
  fs.writeFileSync(path.join(tmp, `${name}.json`), JSON.stringify(overlay));
  const stacks = cachedSynthesis({ outdir: path.join(tmp, name), settings: withOverlay(overlay) }).stacks;
  return Object.fromEntries(
    stacks.map((s) => [
      s.name,
      { json: JSON.parse(fs.readFileSync(s.file, "utf8")), baseline: JSON.parse(fs.readFileSync(path.join(path.dirname(s.file), BASELINE_FILE), "utf8")) },
    ]),
  );
}

const output = Object.fromEntries(Object.entries(scan.settings).map(([settings, { overlay }]) => [settings, synthesized(settings, overlay)]));
/** The committed settings as they are now: dev behind its preset's CloudFront, which the recorded scan predates (it scanned dev as it was). */
const current = synthesized("current", {});
const scanned = Object.entries(scan.scans).flatMap(([settings, byStack]) =>
  Object.entries(byStack)
    .filter(([, s]) => s.findings)
    .map(([stack, s]) => [`${stack} (${settings})`, settings, stack, s.findings!] as const),
);

/** What the recorded scan reported that no exception documents: CKV2_AWS_47, fixed since (see below). */
const UNDOCUMENTED: Record<string, CheckovFinding[]> = {
  "prod (committed)": [{ check: "CKV2_AWS_47", resource: "aws_cloudfront_distribution.cdn" }],
  "prod (goingLive)": [{ check: "CKV2_AWS_47", resource: "aws_cloudfront_distribution.cdn" }],
};

/**
 * Resources added after the recorded scan, whose exceptions are predicted from a scanned resource
 * of the same kind in the same stack (a key policy like the other key policies); the next real
 * scan replaces the prediction (and this list) with findings.
 */
const NOT_YET_SCANNED: { resource: string; stack: string; like: string }[] = [
  // prod-dr's replica gets a key of its own (its ARN, not an alias, as RDS stores it).
  { resource: "data.database_key_policy", stack: "prod-dr", like: "data.logs_key_policy" },
];

const entries = (baseline: CheckovBaseline) =>
  baseline.failed_checks.flatMap((f) => f.findings.flatMap((x) => x.check_ids.map((check) => ({ check, resource: x.resource }))));
/** Whether a baseline entry is in the form checkov 3.3.13 reports for its check (the others are for a check turned into a graph check). */
const inReportedForm = ({ check, resource }: CheckovFinding) => /^(resource|data)\./.test(resource) !== GRAPH_CHECKS.has(check);
const strip = ({ check, resource }: CheckovFinding) => ({ check, resource });

describe("the recorded scan (checkov 3.3.13, 2026-11-29)", () => {
  test("holds for every scanned stack the note's counts: findings, distinct checks, and those the old baseline left", () => {
    for (const [name, settings, stack, findings] of scanned) {
      const { counts } = scan.scans[settings][stack];
      expect({
        name,
        findings: findings.length,
        distinctChecks: new Set(findings.map((f) => f.check)).size,
        leftWithOldBaseline: findings.filter((f) => !f.reconstructed).length,
      }).toEqual({ name, ...counts });
    }
  });

  test.each(scanned)("with the generated baseline, %s leaves exactly its undocumented findings", (name, settings, stack, findings) => {
    const left = findings.filter((f) => !suppressedBy(output[settings][stack].baseline, f)).map(strip);
    expect(left).toEqual(UNDOCUMENTED[name] ?? []);
  });

  test.each(scanned)("every exception in the baseline of %s is a finding of the scan, in the form checkov reported it", (_, settings, stack, findings) => {
    const reported = entries(output[settings][stack].baseline).filter(inReportedForm);
    const unscanned = new Set(NOT_YET_SCANNED.map((n) => n.resource));
    expect(reported.filter((e) => !unscanned.has(e.resource) && !findings.some((f) => f.check === e.check && f.resource === e.resource))).toEqual([]);
  });

  test.each(NOT_YET_SCANNED)(
    "$resource, added since the scan, exists and is covered like the scanned resources of its kind ($like)",
    ({ resource, stack, like }) => {
      for (const settings of Object.keys(output)) {
        const baseline = output[settings][stack].baseline;
        const checksOf = (r: string) =>
          entries(baseline)
            .filter((e) => e.resource === r)
            .map((e) => e.check)
            .sort();
        expect(checksOf(resource).length).toBeGreaterThan(0);
        expect(checksOf(resource)).toEqual(checksOf(like));
      }
    },
  );

  test("CKV2_AWS_47 is fixed: the distribution's web ACL has both rule groups the check asks for, so going live leaves no finding in any stack", () => {
    for (const settings of Object.keys(output)) {
      const prod = output[settings].prod.json;
      expect(prod.resource.aws_cloudfront_distribution.cdn.web_acl_id).toBe("${aws_wafv2_web_acl.waf.arn}");
      const groups = prod.resource.aws_wafv2_web_acl.waf.rule.flatMap((r: any) =>
        r.statement.flatMap((s: any) => (s.managed_rule_group_statement ?? []).map((m: any) => m.name)),
      );
      expect(groups).toEqual(expect.arrayContaining(["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAnonymousIpList"]));
    }
    const fixed = (f: CheckovFinding) => f.check === "CKV2_AWS_47" && f.resource === "aws_cloudfront_distribution.cdn";
    const open = scanned
      .filter(([, settings]) => settings === "goingLive")
      .flatMap(([name, settings, stack, findings]) =>
        findings.filter((f) => !suppressedBy(output[settings][stack].baseline, f) && !fixed(f)).map((f) => ({ name, ...strip(f) })),
      );
    expect(open).toEqual([]);
  });
});

describe("every stack scans", () => {
  const stacks = Object.entries(output).flatMap(([settings, byStack]) =>
    Object.entries(byStack).map(([stack, { json }]) => [`${stack} (${settings})`, json] as const),
  );

  test.each(stacks)("checkov's terraform_json parser reads every top-level block of %s", (_, json) => {
    expect(unparsableBlocks(json)).toEqual([]);
  });

  test("a top-level moved list, the baseline stack's old blocks, is refused as the parser refuses it", () => {
    expect(unparsableBlocks({ moved: [{ from: "aws_kms_key.trail_key", to: "aws_kms_key.cloudtrail_key" }] })).toEqual([
      '"moved" is a list: the parser reads every top-level value as an object',
    ]);
  });

  test("a removed, moved or import block in Terraform's object form is refused too: its from, to and id are strings", () => {
    expect(unparsableBlocks({ removed: { from: "aws_s3_bucket.x", lifecycle: { destroy: false } } })).toEqual([
      '"removed.from" is a string: the parser reads each entry of a "removed" block as an object',
    ]);
    expect(unparsableBlocks({ import: { to: "aws_s3_bucket.x", id: "bucket" } })).toHaveLength(2);
  });

  test("the shapes cdktf writes parse: providers as lists, resources and data by type and name, outputs, locals", () => {
    expect(
      unparsableBlocks({
        "//": { metadata: {} },
        terraform: { backend: { s3: { bucket: "b" } }, required_providers: { aws: { version: "5.100.0" } } },
        provider: { aws: [{ region: "us-east-1" }, { alias: "global", region: "us-east-1" }] },
        resource: { aws_s3_bucket: { logs: { bucket: "b", "//": {} } } },
        data: { aws_iam_policy_document: { p: { statement: [] } } },
        output: { url: { value: "x" } },
        locals: { a: 1 },
      }),
    ).toEqual([]);
    expect(unparsableBlocks({ provider: { aws: { region: "us-east-1" } } })).toEqual([
      '"provider.aws" is an object: the parser reads each provider as a list of objects',
    ]);
  });
});

describe("checkov's resource strings (src/policy/checkov.ts)", () => {
  test("a graph check reports <type>.<name>, for resources and data sources alike", () => {
    expect(reportedAs("CKV2_AWS_47", "aws_cloudfront_distribution.cdn")).toBe("aws_cloudfront_distribution.cdn");
    expect(reportedAs("CKV_AWS_145", "aws_s3_bucket.storage_logs")).toBe("aws_s3_bucket.storage_logs");
    expect(baselineResources("CKV_AWS_145", "aws_s3_bucket.storage_logs")).toEqual(["aws_s3_bucket.storage_logs"]);
  });

  test("a Python check reports resource.<name> or data.<name>; its baseline entry also names <type>.<name>, should it become a graph check", () => {
    expect(baselineResources("CKV_AWS_2", "aws_lb_listener.load_balancer_http")).toEqual(["resource.load_balancer_http", "aws_lb_listener.load_balancer_http"]);
    expect(baselineResources("CKV_AWS_109", "data.aws_iam_policy_document.alerts_key_policy")).toEqual([
      "data.alerts_key_policy",
      "aws_iam_policy_document.alerts_key_policy",
    ]);
    expect(reportedAs("CKV2_AWS_70", "aws_api_gateway_method.m")).toBe("resource.m");
  });

  test("--baseline matches a finding on its resource string and check id, whatever file the entry names", () => {
    const baseline: CheckovBaseline = { failed_checks: [{ file: "/elsewhere.tf.json", findings: [{ resource: "resource.cdn", check_ids: ["CKV_AWS_86"] }] }] };
    expect(suppressedBy(baseline, { check: "CKV_AWS_86", resource: "resource.cdn" })).toBe(true);
    expect(suppressedBy(baseline, { check: "CKV_AWS_86", resource: "aws_cloudfront_distribution.cdn" })).toBe(false);
    expect(suppressedBy(baseline, { check: "CKV_AWS_305", resource: "resource.cdn" })).toBe(false);
  });
});

describe("exceptions follow what an environment is, not its name", () => {
  const renamed = synthesized("renamed", {
    environments: {
      // prod's committed demo settings, on an environment of another name
      staging: {
        preset: "prod",
        edge: { cloudfront: { acceptDefaultCertificate: true } },
        loadBalancer: { targetProtocol: "HTTP" },
        acceptUnencryptedHttp: true,
      },
      sandbox: { preset: "dev" },
    },
  });

  test("an environment on the prod preset gets prod's exceptions and nothing more, and its standby gets prod-dr's", () => {
    expect(renamed.staging.baseline).toEqual(output.committed.prod.baseline);
    expect(renamed["staging-dr"].baseline).toEqual(output.committed["prod-dr"].baseline);
  });

  test("an environment on the dev preset gets dev's exceptions", () => {
    expect(renamed.sandbox.baseline).toEqual(current.dev.baseline);
  });

  test("dev's distribution, added since the scan, is documented as prod's is, plus the web ACL it goes without (CKV_AWS_68, CKV2_AWS_47)", () => {
    const cdn = (baseline: CheckovBaseline) =>
      entries(baseline)
        .filter((e) => /^(resource\.|aws_cloudfront_distribution\.)cdn$/.test(e.resource))
        .map((e) => `${e.check} ${e.resource}`)
        .sort();
    const prods = cdn(output.committed.prod.baseline);
    expect(prods.length).toBeGreaterThan(3);
    expect(cdn(current.dev.baseline)).toEqual(
      [...prods, "CKV_AWS_68 resource.cdn", "CKV_AWS_68 aws_cloudfront_distribution.cdn", "CKV2_AWS_47 aws_cloudfront_distribution.cdn"].sort(),
    );
  });

  test("the ci stack's exceptions cover every environment's pipeline roles", () => {
    const covered = entries(renamed.ci.baseline).map((e) => e.resource);
    expect(covered).toEqual(expect.arrayContaining(["data.staging_deployer_permissions", "data.sandbox_plan_reader_permissions"]));
  });

  test("the pull request's table of accepted exceptions lists each stack's exceptions with what they cover there and why, and only those that apply", () => {
    const environments = (name: string) => resolveDeployment(withOverlay(JSON.parse(fs.readFileSync(path.join(tmp, `${name}.json`), "utf8")))).environments;
    const rows = acceptedExceptionsTable(path.join(tmp, "renamed"), environments("renamed")).split("\n");
    const ci = file.exceptions.find((e) => e.check === "CKV_AWS_356" && e.in.includes("ci"))!;
    expect(rows.slice(0, 2)).toEqual(["| Stack | Check | What it asks | Accepted on | Why it stays |", "|---|---|---|---|---|"]);
    expect(rows.find((r) => r.startsWith("| ci | CKV_AWS_356 "))).toContain(`\`data.aws_iam_policy_document.staging_deployer_permissions\``);
    expect(rows.find((r) => r.startsWith("| ci | CKV_AWS_356 "))).toContain(ci.reason.replace(/\|/g, "\\|"));
    expect(rows.some((r) => r.startsWith("| staging | CKV_AWS_374 "))).toBe(true);
    expect(rows.some((r) => r.startsWith("| sandbox | CKV_AWS_68 "))).toBe(true);
    expect(rows.some((r) => r.startsWith("| staging | CKV_AWS_68 "))).toBe(false);
  });

  test("an exception whose condition does not hold is left out: an allow-list of countries excuses no missing geo restriction", () => {
    const listed = synthesized("countries", { environments: { prod: { edge: { cloudfront: { allowedCountries: ["US", "CA"] } } } } });
    expect(entries(listed.prod.baseline).map((e) => e.check)).not.toContain("CKV_AWS_374");
    expect(entries(output.committed.prod.baseline)).toContainEqual({ check: "CKV_AWS_374", resource: "resource.cdn" });
  });
});

describe("security/exceptions.json", () => {
  const kindOf = (stack: string): StackKind => STACK_KINDS.find((k) => k === stack) ?? (isDrStack(stack) ? "standby" : "environment");
  const kindsOf = (kind: StackKind) => Object.entries(output.committed).filter(([stack]) => kindOf(stack) === kind);

  test.each(file.exceptions.map((e, i) => [`${i} ${e.check} in ${e.in.join(", ")}`, e] as const))(
    "exception %s names addresses that exist in a stack of each of its kinds",
    (_, exception) => {
      for (const kind of exception.in) {
        const found = kindsOf(kind).some(([, { json }]) => exception.resources.every((p) => matching(p, addressesOf(json)).length > 0));
        expect({ kind, resources: exception.resources, found }).toEqual({ kind, resources: exception.resources, found: true });
      }
    },
  );

  test("the key-policy pattern covers exactly the KMS key policies (12 across the stacks)", () => {
    const keyPolicies = file.exceptions.find((e) => e.check === "CKV_AWS_109")!;
    const covered = Object.values(output.committed).flatMap(({ json }) => keyPolicies.resources.flatMap((p) => matching(p, addressesOf(json))));
    expect(covered).toHaveLength(12);
    expect(covered.every((a) => /^data\.aws_iam_policy_document\.(cloudtrail_key|alerts_key|logs_key|database_key|keys_[a-z]+)_policy$/.test(a))).toBe(true);
  });

  test("a `when` on a shared stack, or on a setting environments do not have, is refused when the file is read, each problem named", () => {
    const bad: ExceptionsFile = {
      scanner: "checkov",
      exceptions: [
        {
          check: "CKV_AWS_1",
          title: "t",
          in: ["state", "environment"],
          resources: ["aws_s3_bucket.state"],
          when: [{ setting: "no.such.setting", equals: 1 }],
          reason: "x".repeat(40),
        },
      ],
    };
    const badFile = path.join(tmp, "bad-when.json");
    fs.writeFileSync(badFile, JSON.stringify(bad));
    expect(() => loadExceptions(badFile)).toThrow(
      [
        `${badFile} is not a valid exceptions file:`,
        '  - exceptions.0.when: CKV_AWS_1 applies to state, which no environment\'s settings configure. Fix: split the exception, with "when" only on "environment" and "standby".',
        "  - exceptions.0.when: CKV_AWS_1 names the setting no.such.setting, which environments do not have. Fix: use a path of docs/settings.md.",
      ].join("\n"),
    );
  });

  test("an exception without a real reason is refused when the file is read", () => {
    const badFile = path.join(tmp, "bad-reason.json");
    fs.writeFileSync(
      badFile,
      JSON.stringify({
        scanner: "checkov",
        exceptions: [{ check: "CKV_AWS_18", title: "t", in: ["environment"], resources: ["aws_s3_bucket.x"], reason: "later" }],
      }),
    );
    expect(() => loadExceptions(badFile)).toThrow(/exceptions\.0\.reason: must say why the finding stays/);
  });

  test.each(file.exceptions.map((e, i) => [`${i} ${e.check} in ${e.in.join(", ")}`, e] as const))(
    "exception %s documents a finding the recorded scan shows: one that matches nothing would hide whatever a later change brings",
    (_, exception) => {
      const { check, resources } = exception;
      expect({ check, resources, seen: seenIn(exception, scan) }).toEqual({
        check,
        resources,
        seen: expect.stringMatching(exception.awaitsScan ? /^awaiting a scan$/ : /^(yes|not scanned)$/),
      });
    },
  );

  test.each(file.exceptions.filter((e) => e.awaitsScan).map((e, i) => [`${i} ${e.check}`, e] as const))(
    "exception %s, awaiting a scan, covers nothing in the stacks as scanned and something in the committed ones: a prediction, not a stale entry",
    (_, exception) => {
      const covers = (baseline: CheckovBaseline) => entries(baseline).some((e) => e.check === exception.check);
      const scannedStacks = Object.values(output).flatMap((byStack) => Object.values(byStack));
      expect(scannedStacks.filter(({ baseline }) => covers(baseline))).toEqual([]);
      expect(Object.values(current).some(({ baseline }) => covers(baseline))).toBe(true);
    },
  );

  test("a reason that calls an action unscopable while the project's action data expects it scoped is refused when the file is read", () => {
    const badFile = path.join(tmp, "bad-claim.json");
    const reason = "The deployer registers task definitions on * because they have no resource-level permission (ecs:RegisterTaskDefinition).";
    fs.writeFileSync(
      badFile,
      JSON.stringify({ scanner: "checkov", exceptions: [{ check: "CKV_AWS_356", title: "t", in: ["ci"], resources: ["aws_iam_role.x"], reason }] }),
    );
    expect(() => loadExceptions(badFile)).toThrow(
      "exceptions.0.reason: CKV_AWS_356 says ecs:RegisterTaskDefinition has no resource-level permission, but src/policy/rules.ts ACTIONS_WITHOUT_RESOURCES does not list it",
    );
  });

  test("a claim of no resource-level permission must list its actions as service:Action: a description cannot be checked", () => {
    expect(unscopableClaimProblems("Writes AWS offers no resource-level permission for (task definitions, and kms:CreateKey with a tag) are on *.")).toEqual([
      'says "task definitions" has no resource-level permission, which no action data can confirm. Fix: name the actions as service:Action.',
    ]);
    expect(unscopableClaimProblems("Only actions with no resource-level permissions are on *.")).toHaveLength(1);
    expect(unscopableClaimProblems("Actions with no resource-level permission (kms:ListAliases, and kms:CreateKey only with the Environment tag).")).toEqual(
      [],
    );
  });

  test("SECURITY.md's table says which exceptions the recorded scan saw, and that the baseline stack was not scanned", () => {
    const rows = findingsTable(scan, file).split("\n");
    expect(rows.find((r) => r.startsWith("| CKV_AWS_157 "))).toContain("| yes |");
    expect(rows.find((r) => r.startsWith("| CKV_AWS_252 "))).toContain("| not scanned |");
  });
});
