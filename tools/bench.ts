/**
 * `npm run bench [-- --runs N] [--suite-runs M]`: wall and CPU seconds and peak memory of
 *   - `npm run synth` (what a newcomer runs: the app itself, as `cdktf synth` runs it),
 *   - the app alone (cdktf.json's `app` command, without the CLI),
 *   - the cdktf template's default (`cdktf synth` with `npx ts-node main.ts`),
 *   - `npm run test:unit` (the unit tier, warm: after a warm-up run),
 *   - `npm test` (the whole suite, warm; M runs, 1 by default: it takes minutes), with the number
 *     of Terraform processes it starts, by subcommand (a `terraform` on PATH that logs and runs the real one),
 *   - a clean clone's `.ci/run` (`--ci-runs N`, 1 by default; 0 skips it): `npm ci` and `npm test` cold,
 * each as min / median / max over the runs, with GNU time; and whether every stack's
 * cdk.tf.json is byte-identical across the three syntheses.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readCdktfJson } from "../src/config/deployment";

const ROOT = path.join(__dirname, "..");
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg("--runs", 5);
const SUITE_RUNS = arg("--suite-runs", 1);
const CI_RUNS = arg("--ci-runs", 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));

interface Sample {
  wall: number;
  cpu: number;
  maxRssMiB: number;
}

/** One run of `command` under GNU time, in `cwd`, with `env` added; fails loudly when the command does. */
function measure(command: string, env: NodeJS.ProcessEnv = {}): Sample {
  const timing = path.join(scratch, "time.txt");
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timing, "bash", "-c", command], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
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

function bench(label: string, command: string, runs: number, env: NodeJS.ProcessEnv = {}, warmUp = true): Sample[] {
  if (warmUp) measure(command, env); // caches, page cache
  const samples = Array.from({ length: runs }, () => measure(command, env));
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
const app = readCdktfJson().app;
const out = (name: string) => path.join(scratch, name);

console.log(`${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs, node ${process.version}; min / median / max of ${RUNS} runs after a warm-up`);
const synth = bench("npm run synth", "npm run -s synth", RUNS, { CDKTF_OUTDIR: out("synth") });
bench("app alone (cdktf.json app)", app, RUNS, { CDKTF_OUTDIR: out("app") });
const template = bench("cdktf template default", `npx cdktf synth --app "npx ts-node main.ts" --output ${out("template")}`, RUNS);
console.log(`ratio npm run synth / template default (medians): ${(median(synth) / median(template)).toFixed(2)}`);

const [a, b, c] = [stacksOf(out("synth")), stacksOf(out("app")), stacksOf(out("template"))];
const differing = [...c.keys()].filter((stack) => a.get(stack) !== c.get(stack) || b.get(stack) !== c.get(stack));
console.log(`cdk.tf.json of ${[...c.keys()].join(", ")}: ${differing.length === 0 ? "byte-identical in all three" : `DIFFERENT in ${differing.join(", ")}`}`);

/**
 * A directory with a `terraform` that appends its subcommand to `log` and runs the real one: the
 * suite finds terraform on PATH (tools/offline/terraform.ts), so this counts every process it starts.
 */
function terraformCounter(log: string): string {
  const real = spawnSync("bash", ["-c", "command -v terraform"], { encoding: "utf8" }).stdout.trim();
  if (!real) throw new Error("terraform is not on PATH; the suite needs it (README, Requirements)");
  const dir = path.join(scratch, "terraform-counter");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "terraform"), `#!/bin/sh\necho "$1" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(real)} "$@"\n`, { mode: 0o755 });
  return dir;
}

/** Terraform processes per run, in all and by subcommand, from the counter's log of `runs` runs. */
function countsOf(log: string, runs: number): string {
  const lines = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
  const by = new Map<string, number>();
  for (const sub of lines) by.set(sub, (by.get(sub) ?? 0) + 1);
  const per = (n: number) => String(Math.round((n / runs) * 10) / 10);
  return `${per(lines.length)} (${[...by].sort((x, y) => y[1] - x[1]).map(([sub, n]) => `${sub} ${per(n)}`).join(", ")})`;
}

const unit = bench("npm run test:unit (warm)", "npm run -s test:unit", SUITE_RUNS);
if (SUITE_RUNS > 0) {
  const log = path.join(scratch, "terraform.log");
  const counter = terraformCounter(log);
  const env = { PATH: `${counter}:${process.env.PATH}` };
  measure("npm test", env); // warm-up: init'd working directories, Jest's transform cache
  fs.rmSync(log, { force: true });
  const suite = bench("npm test (warm)", "npm test", SUITE_RUNS, env, false);
  console.log(`Terraform processes per npm test run: ${countsOf(log, SUITE_RUNS)}`);
  console.log(`targets: unit tier <= 40 s (median ${median(unit).toFixed(1)} s), whole suite warm <= 180 s (median ${median(suite).toFixed(1)} s)`);
}
if (CI_RUNS > 0) {
  const clone = path.join(scratch, "clean-clone");
  const ci = bench(
    "clean clone .ci/run",
    `rm -rf ${clone} && git clone -q ${JSON.stringify(ROOT)} ${clone} && cd ${clone} && CI=true bash .ci/run`,
    CI_RUNS,
    {},
    false,
  );
  console.log(`target: a clean clone's .ci/run <= 300 s (median ${median(ci).toFixed(1)} s; it runs what is committed)`);
}
if (differing.length > 0) process.exit(1);
