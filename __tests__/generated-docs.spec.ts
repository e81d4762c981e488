/**
 * The generators of the documents' sections (npm run docs): the settings reference has a row per
 * setting with the presets' values, and a document without a section's markers is refused with
 * the lines to add, and a team's own account and regions regenerate cleanly. That every committed
 * section is current is a repository guard (npm run check, generated-docs).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { environmentSchema } from "../src/validation";
import { PROJECT_ROOT } from "../src/validation/deployment";
import { settingLeaves } from "../src/config/reference";
import { withGeneratedSection } from "../tools/lib/docs/markers";
import { generatedSections } from "../tools/lib/docs/sections";

const sections = generatedSections();

test("the settings reference has one row per setting, each with the dev and prod preset values", () => {
  const table = sections["docs/settings.md"]["environment settings"];
  const leaves = settingLeaves(environmentSchema).filter((l) => l.path !== "environment");
  expect(table.split("\n").filter((row) => row.startsWith("| `"))).toHaveLength(leaves.length);
  expect(table).toContain("| `storage.forceDestroy` | `true` | `false` |");
  expect(table).toContain("| `loadBalancer.targetProtocol` | `HTTP` | `HTTPS` |");
});

test("a document without the markers of a section says which lines to add", () => {
  expect(() => withGeneratedSection("# nothing here\n", "environment settings", "x")).toThrow(
    'no generated section "environment settings": add the lines\n<!-- generated: environment settings (npm run docs); do not edit by hand -->\n<!-- end generated: environment settings -->',
  );
});

test("GIVEN a team's own accountId, region and stateRegion WHEN npm run docs runs THEN it succeeds, the staging example's certificates are in that account and those regions, and the generated-docs guard holds", () => {
  // GIVEN a copy of the project whose settings name another account and regions, as README's first hour has a team do
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "generated-docs-account-"));
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: PROJECT_ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of tracked.filter((f) => fs.existsSync(path.join(PROJECT_ROOT, f)))) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  const cdktf = JSON.parse(fs.readFileSync(path.join(copy, "cdktf.json"), "utf8"));
  Object.assign(cdktf.context.deployment, {
    accountId: "111122223333",
    region: "eu-west-1",
    stateRegion: "eu-central-1",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    dr: { availabilityZones: ["eu-central-1a", "eu-central-1b"] },
  });
  fs.writeFileSync(path.join(copy, "cdktf.json"), JSON.stringify(cdktf, null, 2));
  const run = (...args: string[]) => spawnSync(process.execPath, ["--require", "esbuild-register", ...args], { cwd: copy, encoding: "utf8" });
  // WHEN the documents are regenerated there
  const docs = run("tools/docs.ts");
  expect({ status: docs.status, stderr: docs.stderr }).toEqual({ status: 0, stderr: "" });
  // THEN the staging example's certificates are the team's: the ALB's in region, CloudFront's in us-east-1, the standby's in stateRegion
  const settings = fs.readFileSync(path.join(copy, "docs", "settings.md"), "utf8");
  expect(settings).toContain('"arn:aws:acm:eu-west-1:111122223333:certificate/');
  expect(settings).toContain('"arn:aws:acm:us-east-1:111122223333:certificate/');
  expect(settings).toContain('"arn:aws:acm:eu-central-1:111122223333:certificate/');
  expect(settings).not.toContain("123456789012:certificate/");
  // AND the guard that npm run check and CI run finds every section current
  const check = run("tools/check.ts", "generated-docs");
  expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({
    status: 0,
    stdout: expect.stringMatching(/^ok {3}generated-docs: /),
    stderr: "",
  });
}, 120_000);
