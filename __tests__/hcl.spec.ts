/**
 * The HCL rendering (`npm run synth:hcl`, `cdktf synth --hcl`) that Terraform-native reviewers
 * read: every stack is laid out as `terraform fmt` writes it, passes real `terraform validate`
 * (which type-checks every block and expression against the provider's schema) without a
 * warning, and declares exactly the resources of the JSON synthesis; so does a stack with a deploy
 * role (the multi-account example's baseline), whose variable and dynamic assume_role blocks are
 * written by cdktf's escape hatches rather than its typed props. The JSON is what is planned
 * and deployed (terraform.spec); planning the HCL as well would decode the provider's schema
 * twice more per stack for the same plan.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initOffline, setupTerraform, terraform, WORK_ROOT, writeOfflineConfiguration } from "../tools/lib/terraform/harness";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";

jest.setTimeout(300_000);

const setup = setupTerraform();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-"));
const hcl = cachedSynthesis({ outdir: path.join(scratch, "hcl"), settings: projectSettings(), format: "hcl" }).stacks;
const json = cachedSynthesis({ outdir: path.join(scratch, "json"), settings: projectSettings() }).stacks;
// A stack with a deploy role (the multi-account example's): its variable and dynamic assume_role blocks.
const WITH_DEPLOY_ROLE = "baseline-111111111111";
const multiAccount = (format: "hcl" | "json") =>
  cachedSynthesis({
    outdir: path.join(scratch, `multi-account-${format}`),
    settings: projectSettings({ ...process.env, DEPLOYMENT_SETTINGS: path.join(__dirname, "fixtures", "multi-account.json") }),
    format,
    stacks: [WITH_DEPLOY_ROLE],
  }).stacks[0];
const withDeployRole = { hcl: multiAccount("hcl"), json: multiAccount("json") };

test("every stack is rendered as HCL", () => {
  expect(hcl.map((s) => s.name).sort()).toEqual(json.map((s) => s.name).sort());
  for (const stack of hcl) expect(fs.readFileSync(stack.file, "utf8")).toMatch(/^resource "aws_/m);
});

test("a stack with a deploy role renders its variable, not nullable, and in each provider the dynamic assume_role block", () => {
  const text = fs.readFileSync(withDeployRole.hcl.file, "utf8");
  const variable = /^variable "deploy_role_arn" \{\n([\s\S]*?)\n\}/m.exec(text)?.[1] ?? "";
  expect(variable).toContain('  default     = "arn:aws:iam::111111111111:role/terraform-deploy"');
  expect(variable).toContain("  type        = string");
  expect(variable).toContain("  nullable    = false");
  const dynamicBlock = [
    '  dynamic "assume_role" {',
    '    for_each = var.deploy_role_arn == "" ? [] : [var.deploy_role_arn]',
    "    content {",
    "      role_arn = assume_role.value",
    "    }",
    "  }",
  ].join("\n");
  const providers = [...text.matchAll(/^provider "aws" \{\n[\s\S]*?\n\}/gm)].map((m) => m[0]);
  expect(providers.map((p) => /alias += "(\w+)"/.exec(p)?.[1] ?? "primary")).toEqual(["primary", "dr"]);
  for (const provider of providers) expect(provider).toContain(dynamicBlock);
});

describe.each([
  ...hcl.map((s) => [s.name, s, json.find((j) => j.name === s.name)!, s.name] as const),
  [`${WITH_DEPLOY_ROLE} of the multi-account example`, withDeployRole.hcl, withDeployRole.json, `multi-account-${WITH_DEPLOY_ROLE}`] as const,
])("HCL of stack %s", (_name, stack, jsonFile, workDir) => {
  const jsonStack = JSON.parse(fs.readFileSync(jsonFile.file, "utf8"));
  const dir = path.join(WORK_ROOT, "hcl", workDir);

  beforeAll(() => {
    writeOfflineConfiguration(dir, jsonStack, fs.readFileSync(stack.file, "utf8"));
    initOffline(setup, dir);
  });

  test("terraform validate accepts it without a warning (no quoted references)", () => {
    const report = JSON.parse(terraform(setup, dir, ["validate", "-json"]).stdout);
    expect(
      report.diagnostics.map(
        (d: { severity: string; summary: string; snippet?: { code: string } }) => `${d.severity}: ${d.summary}: ${d.snippet?.code.trim()}`,
      ),
    ).toEqual([]);
    expect(report.valid).toBe(true);
  });

  test("terraform fmt leaves it unchanged", () => {
    const fmt = terraform(setup, dir, ["fmt", "-check", "-diff"]);
    expect(fmt.stdout).toBe("");
    expect(fmt.code).toBe(0);
  });

  test("it declares the resources and data sources of the JSON synthesis, and only those", () => {
    const declared = [...fs.readFileSync(stack.file, "utf8").matchAll(/^(resource|data) "([^"]+)" "([^"]+)" \{/gm)].map(
      (m) => `${m[1] === "data" ? "data." : ""}${m[2]}.${m[3]}`,
    );
    const expected = (["resource", "data"] as const).flatMap((kind) =>
      Object.entries((jsonStack[kind] ?? {}) as Record<string, Record<string, unknown>>).flatMap(([type, byName]) =>
        Object.keys(byName).map((n) => `${kind === "data" ? "data." : ""}${type}.${n}`),
      ),
    );
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.sort()).toEqual(expected.sort());
  });
});
