/**
 * One synthesis (tools/lib/synth/synthesize.ts): outside the specs, no file but it creates a cdktf
 * App or writes stacks, so main.ts (and with it both sides of the change review, which run the
 * app command), npm run plan and the cost estimate all read what a deploy would apply.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../src/config/deployment";
import { projectSettings, synthesize } from "../tools/lib/synth/synthesize";

const SYNTHESIZE = "tools/lib/synth/synthesize.ts";

/** Where `source` creates an App (`new App(...)`) or synthesizes (`x.synth()`, `Testing.synth(...)`, `Testing.fullSynth(...)`). */
function syntheses(file: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const line = () => sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "App") found.push(`${file}:${line()}: new App`);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ["synth", "fullSynth"].includes(node.expression.name.text)) {
      found.push(`${file}:${line()}: ${node.expression.getText()}()`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The project's TypeScript files outside the specs, relative to the root. */
function productFiles(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(PROJECT_ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error("tsconfig.json could not be read");
  return config.fileNames.map((file) => path.relative(PROJECT_ROOT, file).split(path.sep).join("/")).filter((file) => !file.startsWith("__tests__/"));
}

test("outside the specs, only synthesize() creates a cdktf App or synthesizes stacks", () => {
  // GIVEN every product file WHEN its App constructions and synth calls are listed
  const elsewhere = productFiles()
    .filter((file) => file !== SYNTHESIZE)
    .flatMap((file) => syntheses(file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")));
  // THEN there are none: main.ts, plan and the estimate call synthesize()
  expect(elsewhere).toEqual([]);
  expect(syntheses(SYNTHESIZE, fs.readFileSync(path.join(PROJECT_ROOT, SYNTHESIZE), "utf8"))).toEqual([
    expect.stringContaining("new App"),
    expect.stringContaining("app.synth()"),
  ]);
});

test("the check finds an App of one's own and every form of synth call", () => {
  // GIVEN a file that builds and synthesizes stacks itself
  const source = "const app = new App({ outdir });\napp.synth();\nTesting.synth(stack);\nTesting.fullSynth(stack);\nconst n = app.node.id;";
  // WHEN it is checked THEN each construction and call is named with its line
  expect(syntheses("x.ts", source)).toEqual(["x.ts:1: new App", "x.ts:2: app.synth()", "x.ts:3: Testing.synth()", "x.ts:4: Testing.fullSynth()"]);
});

test("GIVEN a synthesis of some stacks (the cost estimate's) WHEN compared with the whole synthesis THEN those stacks are byte-identical and no other is written", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "one-synthesis-"));
  const settings = projectSettings();
  const whole = synthesize({ outdir: path.join(scratch, "whole"), settings });
  const some = synthesize({ outdir: path.join(scratch, "some"), settings, stacks: ["prod", "prod-dr"] });
  expect(some.stacks.map((s) => s.name)).toEqual(["prod", "prod-dr"]);
  for (const stack of some.stacks) {
    expect(fs.readFileSync(stack.file, "utf8")).toBe(fs.readFileSync(whole.stacks.find((s) => s.name === stack.name)!.file, "utf8"));
  }
  expect(whole.stacks.length).toBeGreaterThan(some.stacks.length);
});
