/**
 * The documented deploy order (deployOrder, generated into docs/operations.md) lists every stack
 * main.ts synthesizes, and each stack comes after the stacks whose resources it needs: the one
 * that creates its backend's bucket, and any whose physical names it uses outside IAM policy text
 * and ECR replication filters (a policy may name what does not exist yet, and a replication filter
 * is a name prefix that must be in place before the first image is pushed; a replica's source
 * database or key must exist). With several accounts, each account's stacks are ordered among themselves,
 * after the state stack; a bucket's name is global, so a stack of any account needs the one that creates a bucket it names
 * (every account's trail delivers to the state account's audit bucket).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deployOrder } from "../src/stacks/app";
import { resolveDeployment } from "../src/validation/deployment";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";
import { MULTI_ACCOUNT } from "./helpers";

/** Attributes whose physical name other stacks may use. */
const NAME_ATTRIBUTES: Record<string, string> = {
  aws_s3_bucket: "bucket",
  aws_kms_alias: "name",
  aws_db_instance: "identifier",
  aws_ecr_repository: "name",
  aws_sns_topic: "name",
  aws_cloudwatch_log_group: "name",
};

type StackJson = {
  provider: { aws: { allowed_account_ids: string[] }[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, unknown>;
  terraform?: { backend?: { s3?: { bucket: string } } };
};

/** The physical names a stack creates. */
function createdNames(json: StackJson): string[] {
  return Object.entries(NAME_ATTRIBUTES).flatMap(([type, attribute]) =>
    Object.values(json.resource?.[type] ?? {})
      .map((body) => body[attribute])
      .filter((name): name is string => typeof name === "string" && !name.includes("${")),
  );
}

/** The bucket names a stack creates: S3's namespace is global, so another account's stack may name them too. */
function createdBuckets(json: StackJson): string[] {
  return Object.values(json.resource?.aws_s3_bucket ?? {})
    .map((body) => body.bucket)
    .filter((name): name is string => typeof name === "string");
}

/** The stack's configuration without IAM policy text and ECR replication filters. */
function withoutPolicies(json: StackJson): string {
  const { aws_iam_policy_document: _documents, ...data } = json.data ?? {};
  return JSON.stringify({ ...json, data }, (key, value) => (/(^|_)policy$/.test(key) || key === "repository_filter" ? undefined : value));
}

/** "<stack> needs <other>" for every stack that uses a name another stack creates, or its backend's bucket. */
function dependencies(stacks: Map<string, StackJson>): string[] {
  const needs: string[] = [];
  for (const [stack, json] of stacks) {
    const text = withoutPolicies(json);
    for (const [other, otherJson] of stacks) {
      if (other === stack) continue;
      const created = createdNames(otherJson);
      const backend = json.terraform?.backend?.s3?.bucket;
      // Bucket names are global; other names are used within one account: another account's alike names are its own.
      const sameAccount = json.provider.aws[0].allowed_account_ids[0] === otherJson.provider.aws[0].allowed_account_ids[0];
      const used = (sameAccount ? created : createdBuckets(otherJson)).some((name) => text.includes(JSON.stringify(name).slice(1, -1)));
      if ((backend && created.includes(backend)) || used) needs.push(`${stack} needs ${other}`);
    }
  }
  return needs;
}

/** staging from the prod preset, as a committed environments/staging.json adds it to the committed settings. */
const staging = { environments: { staging: { preset: "prod", acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } } } } };

describe.each([
  ["the committed settings", undefined, ["dev needs state", "prod-dr needs prod"]],
  ["a staging environment from the prod preset added", staging, ["dev needs state", "prod-dr needs prod"]],
  [
    "dev, prod and the state in three accounts (a baseline and a ci stack per account, a baseline in the state account, every trail delivered there)",
    MULTI_ACCOUNT,
    ["dev needs state", "prod-dr needs prod", "baseline needs state", "baseline-111111111111 needs state"],
  ],
])("deploy order with %s", (_name, added, expectedNeeds) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-order-"));
  const settings = [...projectSettings(), ...(added ? [added] : [])];
  const synthesized = cachedSynthesis({ outdir: path.join(scratch, "out"), settings }).stacks;
  const stacks = new Map(synthesized.map((s) => [s.name, JSON.parse(fs.readFileSync(s.file, "utf8")) as StackJson]));
  const order = deployOrder(resolveDeployment(settings)).map((step) => step.stack);

  test("lists every stack main.ts synthesizes, once", () => {
    expect([...order].sort()).toEqual([...stacks.keys()].sort());
  });

  test("puts each account's baseline before the first environment deployed into the account (if any: the state account may hold none)", () => {
    for (const baseline of order.filter((stack) => /^baseline(-\d{12})?$/.test(stack))) {
      const account = stacks.get(baseline)!.provider.aws[0].allowed_account_ids[0];
      const first = order.findIndex((stack) => !/^(state|baseline|ci)/.test(stack) && stacks.get(stack)!.provider.aws[0].allowed_account_ids[0] === account);
      expect({ baseline, at: first === -1 || order.indexOf(baseline) < first }).toEqual({ baseline, at: true });
    }
  });

  test("puts every stack after the stacks whose resources it needs", () => {
    const needs = dependencies(stacks);
    // The check sees the dependencies the order exists for: the state bucket, a standby's, and the audit bucket's.
    expect(needs).toEqual(expect.arrayContaining(expectedNeeds));
    const violated = needs.filter((n) => {
      const [stack, other] = n.split(" needs ");
      return order.indexOf(other) > order.indexOf(stack);
    });
    expect(violated).toEqual([]);
  });
});
