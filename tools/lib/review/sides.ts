/**
 * The two sides of a change review, the base and the working tree, synthesized each with its own
 * app command and settings; what each printed while synthesizing is reported once, saying which
 * side printed it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readCdktfJson } from "../../../src/validation/deployment";
import { SETTINGS_FILE_VARIABLE } from "../../../src/config/settings";
import type { StackConfiguration } from "./configuration";

/** One side's synthesis: its stacks, and the warnings it printed. */
interface Synthesis {
  readonly stacks: Map<string, StackConfiguration>;
  readonly warnings: string[];
}

/**
 * Synthesizes the tree at `dir` with its own cdktf.json app command and settings. `side` names
 * it in the message when it does not synthesize, which carries the app's own (the validator's).
 */
export function synthesizeTree(dir: string, outdir: string, side: string): Synthesis {
  const cdktf = readCdktfJson(dir);
  fs.rmSync(outdir, { recursive: true, force: true });
  // Both sides read the same settings file: a relative name means the caller's directory, not the tree's.
  const overlay = process.env[SETTINGS_FILE_VARIABLE];
  const result = spawnSync(cdktf.app, {
    cwd: dir,
    shell: true,
    encoding: "utf8",
    env: {
      ...process.env,
      ...(overlay ? { [SETTINGS_FILE_VARIABLE]: path.resolve(overlay) } : {}),
      CDKTF_OUTDIR: outdir,
      CDKTF_CONTEXT_JSON: JSON.stringify(cdktf.context ?? {}),
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (result.status !== 0) {
    throw new Error(`the ${side} does not synthesize (${cdktf.app}, exit ${result.status ?? result.signal}):\n${`${result.stderr}${result.stdout}`.trim()}`);
  }
  const stacksDir = path.join(outdir, "stacks");
  return {
    stacks: new Map(fs.readdirSync(stacksDir).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacksDir, name, "cdk.tf.json"), "utf8"))])),
    // main.ts prints its warnings and notes on stdout (the cdktf CLI labels any stderr [ERROR]),
    // beside one line per stack written.
    warnings: [...result.stderr.split("\n"), ...result.stdout.split("\n").filter((line) => /: (WARNING|NOTE): /.test(line))].filter(
      (line) => line.trim() !== "",
    ),
  };
}

/** The warnings of both syntheses, each once, saying which side printed it. */
export function warningLines(base: string, before: readonly string[], after: readonly string[]): string[] {
  const both = before.filter((w) => after.includes(w));
  const groups: [string, string[]][] = [
    [`the base (${base}) and the working tree`, both],
    [`the base (${base}) only`, before.filter((w) => !both.includes(w))],
    ["the working tree only", after.filter((w) => !both.includes(w))],
  ];
  return groups
    .filter(([, lines]) => lines.length > 0)
    .flatMap(([side, lines]) => [`synthesis warnings of ${side}:`, ...[...new Set(lines)].map((w) => `  ${w}`)]);
}
