/**
 * What `npm run bench [-- --runs N] [--suite-runs M]` measures: wall and CPU seconds and peak memory of
 *   - `npm run synth` (what a newcomer runs: the app itself, as `cdktf synth` runs it),
 *   - the app alone (cdktf.json's `app` command, without the CLI),
 *   - the cdktf template's default (`cdktf synth` with `npx ts-node main.ts`),
 *   - `npm test` (the whole suite; M runs, 1 by default: it takes minutes),
 * each as min / median / max over the runs, with GNU time; and whether every stack's
 * cdk.tf.json is byte-identical across the three syntheses.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, readCdktfJson } from "../../../src/config/deployment";

interface Sample {
  wall: number;
  cpu: number;
  maxRssMiB: number;
}

/** One run of `command` under GNU time, in `cwd`, with `env` added; fails loudly when the command does. */
function measure(scratch: string, command: string, env: NodeJS.ProcessEnv = {}): Sample {
  const timing = path.join(scratch, "time.txt");
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timing, "bash", "-c", command], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}):\n${result.stderr}`);
  const [wall, user, sys, rssKiB] = fs.readFileSync(timing, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  return { wall, cpu: user + sys, maxRssMiB: rssKiB / 1024 };
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const f = (v: number) => v.toFixed(2);
  return `${f(sorted[0])} / ${f(median)} / ${f(sorted[sorted.length - 1])}`;
}

function bench(scratch: string, label: string, command: string, runs: number, env: NodeJS.ProcessEnv = {}): Sample[] {
  measure(scratch, command, env); // warm-up: caches, page cache
  const samples = Array.from({ length: runs }, () => measure(scratch, command, env));
  console.log(
    `${label.padEnd(28)} wall ${stats(samples.map((s) => s.wall))} s | cpu ${stats(samples.map((s) => s.cpu))} s | peak ${stats(samples.map((s) => s.maxRssMiB))} MiB`,
  );
  return samples;
}

/** Every stack's cdk.tf.json under `outdir`, by stack. */
function stacksOf(outdir: string): Map<string, string> {
  const dir = path.join(outdir, "stacks");
  return new Map(fs.readdirSync(dir).map((s) => [s, fs.readFileSync(path.join(dir, s, "cdk.tf.json"), "utf8")]));
}

const median = (samples: Sample[]) => [...samples.map((s) => s.wall)].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

/**
 * Measures `runs` syntheses of each kind and `suiteRuns` runs of the suite, a printed line each;
 * false when the syntheses' output differs.
 */
export function runBench(runs: number, suiteRuns: number): boolean {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const app = readCdktfJson().app;
  const out = (name: string) => path.join(scratch, name);
  console.log(`${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs, node ${process.version}; min / median / max of ${runs} runs after a warm-up`);
  const synth = bench(scratch, "npm run synth", "npm run -s synth", runs, { CDKTF_OUTDIR: out("synth") });
  bench(scratch, "app alone (cdktf.json app)", app, runs, { CDKTF_OUTDIR: out("app") });
  const template = bench(scratch, "cdktf template default", `npx cdktf synth --app "npx ts-node main.ts" --output ${out("template")}`, runs);
  console.log(`ratio npm run synth / template default (medians): ${(median(synth) / median(template)).toFixed(2)}`);

  const [a, b, c] = [stacksOf(out("synth")), stacksOf(out("app")), stacksOf(out("template"))];
  const differing = [...c.keys()].filter((stack) => a.get(stack) !== c.get(stack) || b.get(stack) !== c.get(stack));
  console.log(`cdk.tf.json of ${[...c.keys()].join(", ")}: ${differing.length === 0 ? "byte-identical in all three" : `DIFFERENT in ${differing.join(", ")}`}`);

  if (suiteRuns > 0) bench(scratch, "npm test", "npm test", suiteRuns);
  return differing.length === 0;
}
