/**
 * One synthesis (src/synth/synthesize.ts): outside the specs, no file but it creates a cdktf
 * App or writes stacks, so main.ts (and with it both sides of the change review, which run the
 * app command), npm run plan and the cost estimate all read what a deploy would apply.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { projectFiles, relativeTo } from "./layers";

export const SYNTHESIZE = "src/synth/synthesize.ts";

/** Where `source` creates an App (`new App(...)`) or synthesizes (`x.synth()`, `Testing.synth(...)`, `Testing.fullSynth(...)`). */
export function syntheses(file: string, source: string): string[] {
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

/** Every App or synth call outside synthesize() and the specs; and synthesize() without its one App and synth. */
export function synthesisProblems(root: string): string[] {
  const files = projectFiles(root)
    .files.map((file) => relativeTo(root, file))
    .filter((file) => !file.startsWith("__tests__/"));
  const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
  const own = syntheses(SYNTHESIZE, read(SYNTHESIZE));
  return [
    ...files
      .filter((file) => file !== SYNTHESIZE)
      .flatMap((file) => syntheses(file, read(file)))
      .map((found) => `${found}: only ${SYNTHESIZE} creates a cdktf App or synthesizes; call synthesize() instead`),
    ...(own.length === 2 && own[0].endsWith("new App") && own[1].endsWith("app.synth()")
      ? []
      : [`${SYNTHESIZE} should create one App and call app.synth() once; it has: ${own.join(", ") || "neither"}`]),
  ];
}
