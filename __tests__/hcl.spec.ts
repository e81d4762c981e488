/**
 * The HCL rendering (`npm run synth:hcl`, `cdktf synth --hcl`) that Terraform-native reviewers
 * read: every stack is laid out as `terraform fmt` writes it, passes real `terraform validate`
 * (which type-checks every block and expression against the provider's schema) without a
 * warning, and declares exactly the resources of the JSON synthesis. The JSON is what is planned
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

test("every stack is rendered as HCL", () => {
  expect(hcl.map((s) => s.name).sort()).toEqual(json.map((s) => s.name).sort());
  for (const stack of hcl) expect(fs.readFileSync(stack.file, "utf8")).toMatch(/^resource "aws_/m);
});

describe.each(hcl.map((s) => [s.name, s] as const))("HCL of stack %s", (name, stack) => {
  const jsonStack = JSON.parse(fs.readFileSync(json.find((s) => s.name === name)!.file, "utf8"));
  const dir = path.join(WORK_ROOT, "hcl", name);

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
