/**
 * The suite's plan cache is kept between runs (tools/lib/terraform/harness.ts): an entry must be
 * found again only for the same inputs, so its key covers everything a plan depends on.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedActions, PLAN_CACHE_ENV, planKey, readCached, type TerraformSetup } from "../tools/lib/terraform/harness";

const setup: TerraformSetup = { version: "1.11.4", mirror: "/opt/tf-plugins", env: {} };
const ARGS = ["-input=false"];

/** A working directory with `files`. */
function workDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-key-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const base = { "cdk.tf.json": '{"resource":{}}', "offline.tf.json": "{}", ".terraform.lock.hcl": 'provider "aws" { version = "5.100.0" }' };

test("GIVEN the same configuration, lock, state, Terraform and arguments WHEN keyed twice THEN the key is the same", () => {
  expect(planKey(setup, workDir(base), ARGS)).toBe(planKey(setup, workDir(base), ARGS));
});

test.each([
  ["the configuration", { ...base, "cdk.tf.json": '{"resource":{"aws_s3_bucket":{}}}' }, setup, ARGS],
  ["the state", { ...base, "terraform.tfstate": '{"serial":1}' }, setup, ARGS],
  ["the provider lock", { ...base, ".terraform.lock.hcl": 'provider "aws" { version = "5.99.0" }' }, setup, ARGS],
  ["Terraform's version", base, { ...setup, version: "1.12.0" }, ARGS],
  ["the provider's source", base, { ...setup, mirror: undefined }, ARGS],
  ["the arguments", base, setup, [...ARGS, "-refresh=false"]],
] as const)("GIVEN %s changed WHEN keyed THEN the key differs", (_what, files, other, args) => {
  expect(planKey(other, workDir(files), args)).not.toBe(planKey(setup, workDir(base), ARGS));
});

test("GIVEN a file that is not an input (a plan file, a test) WHEN keyed THEN the key is the same", () => {
  expect(planKey(setup, workDir({ ...base, tfplan: "binary", "notes.txt": "x" }), ARGS)).toBe(planKey(setup, workDir(base), ARGS));
});

test("GIVEN a cache entry WHEN read THEN it counts as used now (entries unused for a week are pruned)", () => {
  const file = path.join(workDir({}), "entry.json");
  fs.writeFileSync(file, "{}");
  const weekAgo = new Date(Date.now() - 8 * 24 * 3600_000);
  fs.utimesSync(file, weekAgo, weekAgo);
  expect(readCached(file)).toBe("{}");
  expect(Date.now() - fs.statSync(file).mtimeMs).toBeLessThan(60_000);
});

test("GIVEN the actions of a plan kept under its key WHEN the same inputs are planned for their actions THEN they are read back, and no Terraform starts", () => {
  // GIVEN a cache holding the actions of this directory's plan (a run with no terraform on the PATH, so a plan would fail)
  const cache = workDir({});
  const offline: TerraformSetup = { ...setup, env: { [PLAN_CACHE_ENV]: cache, PATH: "" } };
  const dir = workDir(base);
  fs.writeFileSync(path.join(cache, `${planKey(offline, dir, ARGS)}.actions.json`), JSON.stringify([["aws_s3_bucket.logs", "update"]]));
  // WHEN asked for the actions THEN they are the entry's
  expect(cachedActions(offline, dir, ARGS, "actions.tfplan")).toEqual(new Map([["aws_s3_bucket.logs", "update"]]));
  // AND another state is another key: not found, so Terraform would be asked
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), '{"serial":2}');
  expect(() => cachedActions(offline, dir, ARGS, "actions.tfplan")).toThrow(/terraform plan .* failed/);
});
