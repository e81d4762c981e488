/**
 * What `npm run bench [-- --runs N] [--suite-runs M] [--ci-runs N]` measures: wall and CPU seconds and peak memory of
 *   - `npm run synth` (what a newcomer runs: the app itself, as `cdktf synth` runs it),
 *   - the app alone (cdktf.json's `app` command, without the CLI),
 *   - the cdktf template's default (`cdktf synth` with `npx ts-node main.ts`),
 *   - `npm run review` in a fresh clone (`--review-runs N`, 1 by default; 0 skips it): of the
 *     unchanged tree, and of one prod setting change, cold (no plan cache) and with the base cached,
 *   - `npm run plan` run a second time with nothing changed,
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
import { environmentFile, PROJECT_ROOT, readCdktfJson } from "../../../src/validation/deployment";

interface Sample {
  wall: number;
  cpu: number;
  maxRssMiB: number;
}

/** One run of `command` under GNU time, in `cwd`, with `env` added; fails loudly when the command does. */
function measure(scratch: string, command: string, env: NodeJS.ProcessEnv = {}): Sample {
  const timing = path.join(scratch, "time.txt");
  const output = fs.openSync(path.join(scratch, "output.txt"), "w");
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timing, "bash", "-c", command], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    stdio: ["ignore", output, output],
  });
  fs.closeSync(output);
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}):\n${lastOutput(scratch).slice(-20_000)}`);
  const [wall, user, sys, rssKiB] = fs.readFileSync(timing, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  return { wall, cpu: user + sys, maxRssMiB: rssKiB / 1024 };
}

/** What the last measured command printed (stdout and stderr). */
function lastOutput(scratch: string): string {
  return fs.readFileSync(path.join(scratch, "output.txt"), "utf8");
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const f = (v: number) => v.toFixed(2);
  return `${f(sorted[0])} / ${f(median)} / ${f(sorted[sorted.length - 1])}`;
}

function bench(scratch: string, label: string, command: string, runs: number, env: NodeJS.ProcessEnv = {}, warmUp = true): Sample[] {
  if (warmUp) measure(scratch, command, env); // caches, page cache
  const samples = Array.from({ length: runs }, () => measure(scratch, command, env));
  console.log(
    `${label.padEnd(28)} wall ${stats(samples.map((s) => s.wall))} s | cpu ${stats(samples.map((s) => s.cpu))} s | peak ${stats(samples.map((s) => s.maxRssMiB))} MiB`,
  );
  // a test run's own summary (Jest's suites and tests), so that a figure comes with what it ran
  const summary = [...lastOutput(scratch).matchAll(/^(Test Suites|Tests): .*$/gm)].map((m) => m[0]);
  if (summary.length > 0) console.log(`${"".padEnd(28)} last run: ${summary.join("; ")}`);
  return samples;
}

/** Every stack's cdk.tf.json under `outdir`, by stack. */
function stacksOf(outdir: string): Map<string, string> {
  const dir = path.join(outdir, "stacks");
  return new Map(fs.readdirSync(dir).map((s) => [s, fs.readFileSync(path.join(dir, s, "cdk.tf.json"), "utf8")]));
}

const median = (samples: Sample[]) => [...samples.map((s) => s.wall)].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

/**
 * A directory with a `terraform` that appends its subcommand to `log` and runs the real one: the
 * suite finds terraform on PATH (tools/lib/terraform/harness.ts), so this counts every process it starts.
 */
function terraformCounter(scratch: string, log: string): string {
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
  return `${per(lines.length)} (${[...by]
    .sort((x, y) => y[1] - x[1])
    .map(([sub, n]) => `${sub} ${per(n)}`)
    .join(", ")})`;
}

/** How many runs of each measurement. */
export interface BenchRuns {
  /** Runs of each synthesis. */
  readonly runs: number;
  /** Runs of the unit tier and of the whole suite; 0 skips both. */
  readonly suiteRuns: number;
  /** Runs of a clean clone's `.ci/run`; 0 skips it. */
  readonly ciRuns: number;
  /** Runs of each change review in a fresh clone, and of `npm run plan`'s second run; 0 skips them. */
  readonly reviewRuns: number;
}

/** A prod setting changed in `clone`'s environments/prod.json (its application log retention, to `days`), as a one-line pull request would. */
function changeProdSetting(clone: string, days: number): void {
  const file = path.join(clone, environmentFile("prod"));
  const prod = JSON.parse(fs.readFileSync(file, "utf8"));
  prod.service = { ...prod.service, logRetentionDays: days };
  fs.writeFileSync(file, JSON.stringify(prod, null, 2));
}

/**
 * The change reviews ops wait for on a pull request, each against HEAD in a fresh clone beside the
 * project (its own empty plan cache and work directories; the installed packages linked), and
 * `npm run plan` a second time in the project; each with its ratio to the template's synthesis.
 */
function reviewBench(scratch: string, runs: number, template: number): void {
  const ratio = (samples: Sample[], target: number) => `${(median(samples) / template).toFixed(2)}x the template (target <= ${target}x)`;
  const fresh = () => {
    const clone = path.join(path.dirname(PROJECT_ROOT), `.bench-review-clone-${process.pid}`);
    fs.rmSync(clone, { recursive: true, force: true });
    spawnSync("git", ["clone", "-q", PROJECT_ROOT, clone]);
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
    return clone;
  };
  const inClone = (clone: string, command: string) => `cd ${JSON.stringify(clone)} && ${command}`;
  const samples = (label: string, prepare: () => string, command: string, target: number) => {
    const taken: Sample[] = [];
    for (let i = 0; i < runs; i += 1) taken.push(measure(scratch, inClone(prepare(), command)));
    console.log(`${label.padEnd(44)} wall ${stats(taken.map((s) => s.wall))} s | cpu ${stats(taken.map((s) => s.cpu))} s; ${ratio(taken, target)}`);
    console.log(`${"".padEnd(44)} ${lastOutput(scratch).trim().split("\n").pop()}`);
  };
  const review = "npm run -s review -- --base HEAD --check";
  samples("review, unchanged tree, cold (fresh clone)", fresh, review, 2);
  let clone = "";
  samples(
    "review, one prod setting, cold (fresh clone)",
    () => {
      clone = fresh();
      changeProdSetting(clone, 731);
      return clone;
    },
    `${review} --stack prod`,
    5,
  );
  // another CloudWatch Logs retention value each run: a head not planned before, against the cached base
  const retentions = [400, 545, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
  samples(
    "review, one prod setting, base cached",
    () => {
      changeProdSetting(clone, retentions.shift()!);
      return clone;
    },
    `${review} --stack prod`,
    2,
  );
  fs.rmSync(clone, { recursive: true, force: true });
  measure(scratch, "npm run -s plan"); // the first run fills the plan cache, if it was empty
  const plan = Array.from({ length: runs }, () => measure(scratch, "npm run -s plan"));
  console.log(`${"npm run plan, second run".padEnd(44)} wall ${stats(plan.map((s) => s.wall))} s | cpu ${stats(plan.map((s) => s.cpu))} s; ${ratio(plan, 1)}`);
}

/** Measures each synthesis, the suite and a clean clone's CI run, a printed line each; false when the syntheses' output differs. */
export function runBench({ runs, suiteRuns, ciRuns, reviewRuns }: BenchRuns): boolean {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const app = readCdktfJson().app;
  const out = (name: string) => path.join(scratch, name);
  console.log(
    `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs, node ${process.version}; min / median / max of ${runs} runs after a warm-up`,
  );
  const synth = bench(scratch, "npm run synth", "npm run -s synth", runs, { CDKTF_OUTDIR: out("synth") });
  bench(scratch, "app alone (cdktf.json app)", app, runs, { CDKTF_OUTDIR: out("app") });
  const template = bench(scratch, "cdktf template default", `npx cdktf synth --app "npx ts-node main.ts" --output ${out("template")}`, runs);
  console.log(`ratio npm run synth / template default (medians): ${(median(synth) / median(template)).toFixed(2)}`);

  const [a, b, c] = [stacksOf(out("synth")), stacksOf(out("app")), stacksOf(out("template"))];
  const differing = [...c.keys()].filter((stack) => a.get(stack) !== c.get(stack) || b.get(stack) !== c.get(stack));
  console.log(`cdk.tf.json of ${[...c.keys()].join(", ")}: ${differing.length === 0 ? "byte-identical in all three" : `DIFFERENT in ${differing.join(", ")}`}`);

  if (reviewRuns > 0) reviewBench(scratch, reviewRuns, median(template));

  // Inside the condition: zero samples have no median (--suite-runs 0 skips the unit tier too).
  if (suiteRuns > 0) {
    const unit = bench(scratch, "npm run test:unit (warm)", "npm run -s test:unit", suiteRuns);
    const log = path.join(scratch, "terraform.log");
    const env = { PATH: `${terraformCounter(scratch, log)}:${process.env.PATH}` };
    measure(scratch, "npm test", env); // warm-up: init'd working directories, Jest's transform cache
    fs.rmSync(log, { force: true });
    const suite = bench(scratch, "npm test (warm)", "npm test", suiteRuns, env, false);
    console.log(`Terraform processes per npm test run: ${countsOf(log, suiteRuns)}`);
    const times = (samples: Sample[]) => `${(median(samples) / median(template)).toFixed(1)}x the template`;
    console.log(
      `targets: unit tier warm <= 4x the template (median ${median(unit).toFixed(1)} s = ${times(unit)}), whole suite warm <= 15x (median ${median(suite).toFixed(1)} s = ${times(suite)})`,
    );
  }
  if (ciRuns > 0) {
    // beside the project, as CI's clone is: the documents link to the seed outside the repository
    const clone = path.join(path.dirname(PROJECT_ROOT), `.bench-clean-clone-${process.pid}`);
    const ci = bench(
      scratch,
      "clean clone .ci/run",
      `rm -rf ${clone} && git clone -q ${JSON.stringify(PROJECT_ROOT)} ${clone} && cd ${clone} && CI=true bash .ci/run`,
      ciRuns,
      {},
      false,
    );
    fs.rmSync(clone, { recursive: true, force: true });
    console.log(`target: a clean clone's .ci/run <= 600 s (median ${median(ci).toFixed(1)} s; it runs what is committed)`);
  }
  return differing.length === 0;
}
