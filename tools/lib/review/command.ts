/**
 * `npm run review -- [--base <git ref>] [--stack <name>]... [--check] [--acknowledgements <file>] [--prune-acknowledgements]`
 *
 * What the working tree does to infrastructure deployed from the base: both are synthesized
 * (each with its own app command and settings). A stack whose configuration is the same on both
 * sides (cdktf's metadata aside) is reported unchanged without starting Terraform. Each other
 * stack's base is "deployed" into an offline state (kept in the plan cache, so a base reviewed
 * before is not deployed again) and the working tree is planned against it with the real AWS
 * provider, stacks side by side up to one per core, each printed the moment it is done. Writes
 * review/<stack>/change.md and change-plan.json, prints the summary (review.ts): one line per
 * flag, the full detail in change.md; with --check, exits 1 on any data-at-risk or refused flag
 * that no acknowledgement accepts (acknowledgements.ts). With --prune-acknowledgements, removes
 * from the acknowledgements file those of the reviewed stacks that accept no flag of the change
 * (run it against the deployed commit: their changes are deployed, or no longer made).
 */
import { execFileSync, execSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { pruneAcknowledgements, readAcknowledgements } from "./acknowledgements";
import type { StackChange } from "./change-report";
import { resourceCount, sameDeployment } from "./configuration";
import { leftReview, replicasOf, runVerdict, stackFlags, stackLines, type StackReview, unchangedReview, verdictLines } from "./review";
import { synthesizeTree, warningLines } from "./sides";
import { type StackJob, type StackResult, writeChangeReport, writeStackReport } from "./stack-worker";
import { PROJECT_ROOT } from "../../../src/validation/deployment";
import { PLAN_CACHE_ENV, prunePlanCache, REVIEW_DIR, setupTerraform, WORK_ROOT } from "../terraform/harness";
import { Progress, seconds } from "../console/progress";

export const DEFAULT_ACKNOWLEDGEMENTS = path.join(PROJECT_ROOT, "change-acknowledgements.json");

interface Options {
  base?: string;
  stacks: string[];
  check: boolean;
  acknowledgements: string;
  prune: boolean;
}

const USAGE = "npm run review -- [--base <git ref>] [--stack <name>]... [--check] [--acknowledgements <file>] [--prune-acknowledgements]";

function parseArgs(argv: string[]): Options {
  const options: Options = { stacks: [], check: false, acknowledgements: DEFAULT_ACKNOWLEDGEMENTS, prune: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--base") options.base = value();
    else if (arg === "--stack") options.stacks.push(value());
    else if (arg === "--check") options.check = true;
    else if (arg === "--acknowledgements") options.acknowledgements = path.resolve(value());
    else if (arg === "--prune-acknowledgements") options.prune = true;
    else throw new Error(`unknown argument ${arg}. Usage: ${USAGE}`);
  }
  return options;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** The default base: where this branch left main, or the commit before HEAD on main itself. */
function defaultBase(): string {
  try {
    const mergeBase = git("merge-base", "HEAD", "main");
    if (mergeBase !== git("rev-parse", "HEAD")) return mergeBase;
  } catch {
    // no main branch here: fall through
  }
  return "HEAD~1";
}

/** The tree of a git ref, extracted beside the project's node_modules so its app runs. */
function extractRef(ref: string, into: string): void {
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true });
  execSync(`git archive --format=tar ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(into)}`, {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(into, "node_modules"), "dir");
}

/** Reviews the working tree against `--base` (see the top of this file); the exit code. */
export async function changeReview(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const options = parseArgs(argv);
  const base = options.base ?? defaultBase();
  let baseCommit: string;
  try {
    baseCommit = git("rev-parse", "--short", `${base}^{commit}`);
  } catch {
    throw new Error(
      `the base "${base}" is not a commit in this clone. Fix: name an existing ref with --base, or fetch the history ` +
        "(git fetch --unshallow, or fetch-depth: 0 on GitHub Actions); a shallow clone has no merge base.",
    );
  }
  const acknowledgements = readAcknowledgements(options.acknowledgements);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "change-review-"));
  const started = Date.now();
  try {
    const baseRoot = path.join(scratch, "base");
    extractRef(base, baseRoot);
    const before = synthesizeTree(baseRoot, path.join(scratch, "base-out"), `base ${base} (${baseCommit})`);
    const after = synthesizeTree(PROJECT_ROOT, path.join(scratch, "head-out"), "working tree");
    for (const line of warningLines(baseCommit, before.warnings, after.warnings)) print(line);
    const every = [...new Set([...before.stacks.keys(), ...after.stacks.keys()])].sort();
    const names = every.filter((n) => options.stacks.length === 0 || options.stacks.includes(n));
    const unknownStacks = options.stacks.filter((s) => !every.includes(s));
    if (unknownStacks.length > 0)
      throw new Error(
        `no stack ${unknownStacks.join(", ")} in the base or the working tree. Fix: name one of ${every.join(", ")} with --stack, or none to review them all.`,
      );
    // Terraform is needed from here on only: the mistakes above are said whether or not it is there.
    const setup = setupTerraform();
    prunePlanCache(setup.env[PLAN_CACHE_ENV]!);

    const reportDir = path.relative(PROJECT_ROOT, REVIEW_DIR);
    const baseName = `${base} (${baseCommit})`;
    const binding = git("rev-parse", `${base}^{commit}`);
    const changes = new Map<string, StackChange>();
    const statuses = new Map<string, StackResult["status"]>();
    const toPlan: StackJob[] = [];
    const replicas = [...replicasOf(before.stacks)];
    /** A stack reviewed without Terraform: its report, its lines, and its place in the verdict. */
    const notPlanned = (name: string, review: StackReview, note: string) => {
      writeStackReport(path.join(REVIEW_DIR, name), name, baseName, review);
      changes.set(name, review.change);
      statuses.set(name, review.status);
      for (const line of stackLines(review.change, reportDir, note)) print(line);
    };
    for (const name of names) {
      const [baseJson, headJson] = [before.stacks.get(name), after.stacks.get(name)];
      const flags = stackFlags(name, { json: baseJson, root: baseRoot }, { json: headJson, root: PROJECT_ROOT });
      // every name is a stack of the base or of the working tree: one without a head is in the base
      if (!headJson) notPlanned(name, leftReview(name, baseJson!, flags), "left the configuration: not planned");
      else if (baseJson && sameDeployment(baseJson, headJson)) notPlanned(name, unchangedReview(name, headJson), "unchanged: not planned");
      else {
        toPlan.push({
          setup,
          name,
          base: baseJson,
          head: headJson,
          dir: path.join(WORK_ROOT, "review", name),
          replicas,
          out: path.join(REVIEW_DIR, name),
          baseName,
          stackFlags: flags,
          binding,
        });
      }
    }
    for (const [name, result] of await planSideBySide(toPlan, print, reportDir)) {
      changes.set(name, result.change);
      statuses.set(name, result.status);
    }

    const verdict = runVerdict(
      names.map((name) => ({ change: changes.get(name)!, status: statuses.get(name)! })),
      acknowledgements,
      options.stacks,
    );
    // change.md marks the flags an acknowledgement accepts, with its reason
    for (const name of new Set(verdict.acknowledged.map((a) => a.stack))) {
      const marks = new Map(verdict.acknowledged.filter((a) => a.stack === name).map((a) => [a.fingerprint, a.reason]));
      writeChangeReport(path.join(REVIEW_DIR, name), name, baseName, { change: changes.get(name)!, status: statuses.get(name)! }, marks);
    }
    const acknowledgementsFile = path.relative(PROJECT_ROOT, options.acknowledgements);
    for (const line of verdictLines(verdict, { check: options.check, acknowledgementsFile, base })) print(line);
    if (options.prune) {
      const removed = pruneAcknowledgements(
        options.acknowledgements,
        verdict.unused.map((u) => u.acknowledgement),
      );
      print(`removed ${removed.length} acknowledgement(s) that accept no flag of the change from ${base} from ${acknowledgementsFile}.`);
    }
    const left = names.filter((name) => before.stacks.has(name) && !after.stacks.has(name)).length;
    print(
      `reviewed ${names.length} stack(s) in ${seconds(Date.now() - started)}: ${toPlan.length} planned, ${names.length - toPlan.length - left} unchanged` +
        (left > 0 ? `, ${left} left the configuration.` : "."),
    );
    return verdict.blocking.length > 0 && options.check ? 1 : 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** How often a long review says what it is still working on. */
const PROGRESS_EVERY_MS = 15_000;

/**
 * Reviews `jobs`, largest stack first, up to one per core at a time (Terraform spends a core
 * decoding the AWS provider's schema), each in a worker thread; prints each stack's lines the
 * moment it is done, and every PROGRESS_EVERY_MS which stacks are still being planned.
 */
async function planSideBySide(jobs: StackJob[], print: (line: string) => void, reportDir: string): Promise<Map<string, StackResult>> {
  const size = (job: StackJob) => resourceCount(job.head) + resourceCount(job.base ?? {});
  const queue = [...jobs].sort((a, b) => size(b) - size(a));
  const results = new Map<string, StackResult>();
  const progress = new Progress(print, { everyMs: PROGRESS_EVERY_MS, still: "planning" });
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      progress.start(job.name, `${job.name}: planning (${job.base ? "the base deployed offline, then the working tree against it" : "a new stack"})...`);
      const result = await inWorker(job);
      const took = progress.done(job.name);
      results.set(job.name, result);
      for (const line of stackLines(result.change, reportDir, `${took}${result.status === "new" ? ", a new stack" : ""}`)) print(line);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(lanes(), jobs.length) }, lane));
  } finally {
    progress.stop();
  }
  return results;
}

/** One lane per core; SMH_REVIEW_LANES sets another number. */
function lanes(): number {
  return Math.max(1, Number(process.env.SMH_REVIEW_LANES) || os.availableParallelism());
}

/** Runs one stack's review in a worker thread (stack-worker.ts). */
function inWorker(job: StackJob): Promise<StackResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, "stack-worker.ts"), { workerData: { job } });
    worker.once("message", (result: StackResult) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the review of ${job.name} stopped (exit ${code})`))));
  });
}
