/**
 * The suite's two tiers (jest.config.js): the unit tier starts no Terraform, the terraform tier
 * lists only specs that exist, and every spec runs in exactly one tier.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT as ROOT } from "../src/config/deployment";
import { setupTerraform } from "../tools/lib/terraform/harness";

interface Project {
  displayName: string;
  testRegex?: string;
  testPathIgnorePatterns?: string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(ROOT, "jest.config.js")) as { projects: Project[] };
const project = (name: string) => config.projects.find((p) => p.displayName === name)!;
const specs = fs.readdirSync(path.join(ROOT, "__tests__")).filter((f) => f.endsWith(".spec.ts"));
const inTerraformTier = (file: string) => new RegExp(project("terraform").testRegex!).test(`${ROOT}/__tests__/${file}`);

test("GIVEN the unit tier WHEN a spec sets up Terraform THEN it fails, saying where the spec belongs", () => {
  expect(() => setupTerraform()).toThrow(/unit tier .* starts no Terraform.*jest\.config\.js/);
});

test("GIVEN the terraform tier's list WHEN compared with __tests__ THEN every name in it is a spec that exists", () => {
  const listed = /\(([^)]*)\)/.exec(project("terraform").testRegex!)![1].split("|");
  expect(listed.filter((name) => !specs.includes(`${name}.spec.ts`))).toEqual([]);
  expect(listed.length).toBeGreaterThan(0);
});

test("GIVEN every spec WHEN the tiers select them THEN each runs in exactly one", () => {
  const ignoredByUnit = project("unit").testPathIgnorePatterns!.map((p) => new RegExp(p.replace("<rootDir>", ROOT)));
  const inUnit = (file: string) => !ignoredByUnit.some((re) => re.test(`${ROOT}/__tests__/${file}`));
  expect(specs.filter((file) => inUnit(file) === inTerraformTier(file))).toEqual([]);
  expect(specs.filter(inTerraformTier)).toContain("terraform.spec.ts");
  expect(specs.filter((file) => inUnit(file))).toContain("test-tiers.spec.ts");
});
