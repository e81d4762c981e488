import { Testing } from "cdktf";
import { DisasterRecoveryStack } from "../src/stacks/dr-stack";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  addressesOf,
  BASELINE_FILE,
  checkovBaseline,
  type CheckovBaseline,
  exceptionsFor,
  type ExceptionsFile,
  loadExceptions,
  matching,
} from "../src/policy/exceptions";
import { synthesizeAll } from "../tools/offline/synth";
import { configOf, synthEnvironment } from "./helpers";

const file = loadExceptions();
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "exceptions-"));
const stacks = synthesizeAll(outdir);
const addresses = Object.fromEntries(stacks.map((s) => [s.name, addressesOf(JSON.parse(fs.readFileSync(s.file, "utf8")))]));

/** Check ids of a baseline, by resource. */
function checksOf(baseline: CheckovBaseline): Record<string, string[]> {
  return Object.fromEntries(baseline.failed_checks.flatMap((f) => f.findings.map((x) => [x.resource, x.check_ids])));
}

describe("scanner exceptions (security/exceptions.json)", () => {
  test.each(file.exceptions.map((e, i) => [`${i} ${e.check} in ${e.stacks.join(", ")}`, e] as const))(
    "exception %s names addresses that exist in each of its stacks",
    (_, exception) => {
      for (const stack of exception.stacks) {
        expect(Object.keys(addresses)).toContain(stack);
        for (const pattern of exception.resources) {
          expect({ stack, pattern, matches: matching(pattern, addresses[stack]).length > 0 }).toEqual({ stack, pattern, matches: true });
        }
      }
    },
  );

  test("synthesis writes a checkov baseline beside every stack, in checkov's format", () => {
    for (const stack of stacks) {
      const baseline = JSON.parse(fs.readFileSync(path.join(path.dirname(stack.file), BASELINE_FILE), "utf8"));
      expect(baseline).toEqual({ failed_checks: [{ file: "/cdk.tf.json", findings: expect.any(Array) }] });
      for (const finding of baseline.failed_checks[0].findings) {
        expect(addresses[stack.name]).toContain(finding.resource);
        expect(finding.check_ids).toEqual([...finding.check_ids].sort());
      }
    }
  });

  test("the key-policy pattern covers exactly the KMS key policies (12 across the stacks)", () => {
    const keyPolicies = file.exceptions.find((e) => e.check === "CKV_AWS_109")!;
    const covered = keyPolicies.stacks.flatMap((s) => keyPolicies.resources.flatMap((p) => matching(p, addresses[s])));
    expect(covered).toHaveLength(12);
    expect(covered.every((a) => /^data\.aws_iam_policy_document\.(cloudtrail_key|alerts_key|logs_key|replica_key|keys_[a-z]+)_policy$/.test(a))).toBe(true);
  });

  test("prod going live (certificates, HTTPS to the tasks, no demo setting) excuses none of the findings the issue requires fixed", () => {
    const live = configOf("prod", {
      environments: {
        prod: {
          acceptUnencryptedHttp: false,
          loadBalancer: {
            httpsEnabled: true,
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
            targetProtocol: "HTTPS",
          },
          edge: {
            cloudfront: {
              acceptDefaultCertificate: false,
              certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/9f8e7d6c-1111-2222-3333-444455556666",
              domainNames: ["dashboard.example.edu"],
              albOriginDomain: "origin.dashboard.example.edu",
            },
          },
          dr: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/5a6b7c8d-1111-2222-3333-444455556666" },
        },
      },
    });
    const baseline = checkovBaseline(exceptionsFor(file, "prod", live), addressesOf(synthEnvironment("prod", { environments: { prod: live } } as never).json));
    const excused = Object.values(checksOf(baseline)).flat();
    for (const mustBeFixed of ["CKV2_AWS_32", "CKV2_AWS_47", "CKV2_AWS_28", "CKV_AWS_260", "CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_378", "CKV2_AWS_20", "CKV_AWS_174", "CKV2_AWS_42"]) {
      expect(excused).not.toContain(mustBeFixed);
    }
    expect(checksOf(baseline)["aws_cloudfront_distribution.cdn"]).toEqual(["CKV_AWS_305", "CKV_AWS_310", "CKV_AWS_374", "CKV_AWS_86"]);
    // its standby too: HTTPS on the standby ALB and to its tasks
    const standby = new DisasterRecoveryStack(Testing.app(), "prod-dr", { config: live });
    const standbyExcused = Object.values(checksOf(checkovBaseline(exceptionsFor(file, "prod-dr", live), addressesOf(JSON.parse(Testing.synth(standby)))))).flat();
    expect(standbyExcused.filter((c) => ["CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_378", "CKV2_AWS_20"].includes(c))).toEqual([]);
  });

  test("the committed demo settings excuse the demo findings in prod, and only while they hold", () => {
    const prod = checksOf(checkovBaseline(exceptionsFor(file, "prod", configOf("prod")), addresses.prod));
    expect(prod["aws_lb_listener.load_balancer_http"]).toEqual(["CKV_AWS_103", "CKV_AWS_2"]);
    expect(prod["aws_lb_target_group.load_balancer_app"]).toEqual(["CKV_AWS_378"]);
    const countries = configOf("prod", { environments: { prod: { edge: { cloudfront: { allowedCountries: ["US", "CA"] } } } } });
    expect(exceptionsFor(file, "prod", countries).map((e) => e.check)).not.toContain("CKV_AWS_374");
  });

  test("a `when` must name a setting the environment has, and cannot apply to a shared stack", () => {
    const bad: ExceptionsFile = {
      scanner: "checkov",
      exceptions: [{ check: "CKV_AWS_1", title: "t", stacks: ["state", "dev"], resources: ["aws_s3_bucket.state"], when: { setting: "no.such.setting", equals: 1 }, reason: "x".repeat(40) }],
    };
    expect(() => exceptionsFor(bad, "state")).toThrow('exception CKV_AWS_1 for stack "state" has a "when", but state is not an environment');
    expect(() => exceptionsFor(bad, "dev", configOf("dev"))).toThrow('"when" names no.such.setting, which environment "dev" does not have');
  });

  test("an exception without a real reason is refused when the file is read", () => {
    const tmp = path.join(outdir, "bad-exceptions.json");
    fs.writeFileSync(tmp, JSON.stringify({ scanner: "checkov", exceptions: [{ check: "CKV_AWS_18", title: "t", stacks: ["dev"], resources: ["aws_s3_bucket.x"], reason: "later" }] }));
    expect(() => loadExceptions(tmp)).toThrow(/exceptions\.0\.reason: must say why the finding stays/);
  });
});
