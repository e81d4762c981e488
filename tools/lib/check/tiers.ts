/**
 * The suite's two tiers (jest.config.js): the terraform tier lists only specs that exist, and
 * every spec runs in exactly one tier.
 */
import * as fs from "fs";
import * as path from "path";

interface Project {
  readonly displayName: string;
  readonly testRegex?: string;
  readonly testPathIgnorePatterns?: string[];
}

/** The Jest projects of `root`'s jest.config.js. */
export function jestProjects(root: string): Project[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest's own configuration is CommonJS
  return (require(path.join(root, "jest.config.js")) as { projects: Project[] }).projects;
}

/** What is wrong with the tiers of `projects` for the spec files `specs` (names in __tests__). */
export function tierProblems(root: string, projects: readonly Project[], specs: readonly string[]): string[] {
  const project = (name: string) => projects.find((p) => p.displayName === name);
  const terraform = project("terraform");
  const unit = project("unit");
  if (!terraform?.testRegex || !unit?.testPathIgnorePatterns)
    return ["jest.config.js should have the projects unit (testPathIgnorePatterns) and terraform (testRegex)"];
  const listed = /\(([^)]*)\)/.exec(terraform.testRegex)?.[1].split("|") ?? [];
  const inTerraform = (file: string) => new RegExp(terraform.testRegex!).test(`${root}/__tests__/${file}`);
  const ignoredByUnit = unit.testPathIgnorePatterns.map((p) => new RegExp(p.replace("<rootDir>", root)));
  const inUnit = (file: string) => !ignoredByUnit.some((re) => re.test(`${root}/__tests__/${file}`));
  return [
    ...(listed.length === 0 ? ["jest.config.js: the terraform tier lists no spec"] : []),
    ...listed
      .filter((name) => !specs.includes(`${name}.spec.ts`))
      .map((name) => `jest.config.js: the terraform tier lists "${name}", which is no spec in __tests__`),
    ...specs.filter((file) => inUnit(file) === inTerraform(file)).map((file) => `__tests__/${file} runs in ${inUnit(file) ? "both tiers" : "no tier"}`),
  ];
}

/** The spec files of `root`'s __tests__. */
export const specFiles = (root: string) => fs.readdirSync(path.join(root, "__tests__")).filter((f) => f.endsWith(".spec.ts"));
