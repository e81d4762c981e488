/**
 * `npm run check`: the repository guards, apart from the behaviour the Jest specs test. Each guard
 * lists what is wrong with the tree, in sentences that name the file and the fix; the command
 * prints every guard's result and fails when any has a problem.
 */
import { ConfigurationError } from "../../../src/validation";
import { documentProblems } from "./documents";
import { staleSections } from "./generated";
import { importGraph, layerProblems, readLayers } from "./layers";
import { synthesisProblems } from "./syntheses";
import { jestProjects, specFiles, tierProblems } from "./tiers";
import { workflowProblems } from "./workflow";

export interface Guard {
  readonly id: string;
  /** What holds when the guard finds nothing. */
  readonly holds: string;
  readonly problems: (root: string) => string[] | Promise<string[]>;
}

export const GUARDS: readonly Guard[] = [
  {
    id: "layers",
    holds: "every file is in one layer of layers.json, imports point down, no entry point is imported, no import cycle",
    problems: (root) => layerProblems(readLayers(root), importGraph(root)),
  },
  { id: "one-synthesis", holds: "only synthesize() creates a cdktf App or synthesizes stacks", problems: synthesisProblems },
  {
    id: "test-tiers",
    holds: "every spec runs in exactly one Jest tier, and the terraform tier lists only specs that exist",
    problems: (root) => tierProblems(root, jestProjects(root), specFiles(root)),
  },
  {
    id: "documents",
    holds: "links resolve inside the repository, named npm scripts exist, set-up commands are CI's, no issue numbers",
    problems: documentProblems,
  },
  { id: "generated-docs", holds: "every generated section of the documents is current (npm run docs)", problems: (root) => staleSections(root) },
  { id: "workflow", holds: "docs/ci's workflow lints clean with actionlint", problems: workflowProblems },
];

/** Runs every guard (or those of `only`), printing one line per guard and its problems; whether all hold. */
export async function runGuards(root: string, print: (line: string) => void, only?: readonly string[], guards: readonly Guard[] = GUARDS): Promise<boolean> {
  let ok = true;
  for (const guard of guards.filter((g) => !only || only.includes(g.id))) {
    const started = Date.now();
    const problems = await problemsOf(guard, root);
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    print(problems.length === 0 ? `ok   ${guard.id}: ${guard.holds} (${took})` : `FAIL ${guard.id}: ${problems.length} problem(s) (${took})`);
    for (const problem of problems) print(`  - ${problem}`);
    ok &&= problems.length === 0;
  }
  return ok;
}

/**
 * A guard's problems; a guard that throws is one that failed, with what stopped it, so that the
 * other guards still run and report. Invalid settings stop the generators, and their messages
 * already name the file, the key and the fix.
 */
async function problemsOf(guard: Guard, root: string): Promise<string[]> {
  try {
    return await guard.problems(root);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      return error.problems.map((problem) => `could not run on these settings: ${problem}`);
    }
    const where = error instanceof Error ? (/\n\s+at (.*)/.exec(error.stack ?? "")?.[1] ?? "") : "";
    return [
      `could not run: ${error instanceof Error ? error.message : String(error)}${where ? ` (at ${where})` : ""}. Fix: correct what the message names, then run npm run check -- ${guard.id}`,
    ];
  }
}
