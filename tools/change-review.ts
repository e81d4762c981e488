/**
 * `npm run review -- [--base <git ref>] [--stack <name>]... [--check] [--acknowledgements <file>]`
 *
 * What the working tree does to infrastructure deployed from the base: both are synthesized
 * (each with its own app command and settings), the base is "deployed" into an offline state,
 * and the working tree is planned against it with the real AWS provider. Writes
 * review/<stack>/change.md and change-plan.json, prints the summary; with --check, exits 1 on any
 * data-at-risk flag that the acknowledgements file does not name with a reason.
 */
import { execFileSync, execSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readCdktfJson } from "../src/config/deployment";
import { gate, readAcknowledgements } from "./review/acknowledgements";
import { countsLine, renderStackChange, reviewChange, type StackChange } from "./review/change-report";
import { deployBase, planChange, planNewStack } from "./review/deployed";
import { ROOT, setupTerraform, WORK_ROOT } from "./offline/terraform";

export const REVIEW_DIR = path.join(ROOT, "review");
export const DEFAULT_ACKNOWLEDGEMENTS = path.join(ROOT, "change-acknowledgements.json");

interface Options {
  base?: string;
  stacks: string[];
  check: boolean;
  acknowledgements: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { stacks: [], check: false, acknowledgements: DEFAULT_ACKNOWLEDGEMENTS };
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
    else throw new Error(`unknown argument ${arg}. Usage: npm run review -- [--base <git ref>] [--stack <name>]... [--check] [--acknowledgements <file>]`);
  }
  return options;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

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

/** Synthesizes the tree at `dir` with its own cdktf.json app command and settings. */
export function synthesizeTree(dir: string, outdir: string): Map<string, object> {
  const cdktf = readCdktfJson(dir);
  fs.rmSync(outdir, { recursive: true, force: true });
  execSync(cdktf.app, {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify(cdktf.context ?? {}), CHECKPOINT_DISABLE: "1" },
  });
  const stacksDir = path.join(outdir, "stacks");
  return new Map(fs.readdirSync(stacksDir).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacksDir, name, "cdk.tf.json"), "utf8"))]));
}

/** The tree of a git ref, extracted beside the project's node_modules so its app runs. */
function extractRef(ref: string, into: string): void {
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true });
  execSync(`git archive --format=tar ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(into)}`, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(into, "node_modules"), "dir");
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
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
  const setup = setupTerraform();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "change-review-"));
  try {
    extractRef(base, path.join(scratch, "base"));
    const before = synthesizeTree(path.join(scratch, "base"), path.join(scratch, "base-out"));
    const after = synthesizeTree(ROOT, path.join(scratch, "head-out"));
    const names = [...new Set([...before.keys(), ...after.keys()])].filter((n) => options.stacks.length === 0 || options.stacks.includes(n)).sort();
    const unknownStacks = options.stacks.filter((s) => !before.has(s) && !after.has(s));
    if (unknownStacks.length > 0) throw new Error(`no stack ${unknownStacks.join(", ")} in the base or the working tree`);

    const results: StackChange[] = [];
    for (const name of names) {
      const dir = path.join(WORK_ROOT, "review", name);
      const baseJson = before.get(name);
      const headJson = after.get(name);
      let change: StackChange;
      let plan;
      if (!baseJson) {
        plan = planNewStack(setup, headJson!, dir);
        change = reviewChange(name, plan);
      } else {
        const deployed = deployBase(setup, name, baseJson, dir);
        plan = planChange(setup, deployed, baseJson, headJson);
        change = reviewChange(name, plan, deployed);
      }
      const out = path.join(REVIEW_DIR, name);
      fs.mkdirSync(out, { recursive: true });
      const heading = `Change review of stack \`${name}\`: working tree against ${base} (${baseCommit})${!baseJson ? ", a new stack" : !headJson ? ", the stack is removed" : ""}`;
      fs.writeFileSync(path.join(out, "change.md"), renderStackChange(change, heading));
      fs.writeFileSync(path.join(out, "change-plan.json"), JSON.stringify(plan, null, 2));
      results.push(change);
      console.log(`${name}: ${countsLine(change.counts)}; ${change.flags.length} flag(s) -> ${path.relative(ROOT, out)}/change.md`);
      for (const f of change.flags) console.log(`  ${f.kind}: ${f.address} (${f.attribute}): ${f.detail}`);
      for (const u of change.unverifiable) console.log(`  not verifiable offline: ${u}`);
    }

    const verdict = gate(results.flatMap((r) => r.flags.map((f) => ({ ...f, stack: r.stack }))), acknowledgements);
    for (const a of verdict.acknowledged) console.log(`acknowledged: ${a.stack} ${a.address}: ${a.reason}`);
    for (const u of verdict.unused) console.log(`acknowledgement matches no flag of this change (remove it once deployed): ${u.stack} ${u.address}`);
    if (verdict.blocking.length > 0) {
      console.log(
        `\n${verdict.blocking.length} data-at-risk flag(s) without an acknowledgement. If the loss is intended, add to ${path.relative(ROOT, options.acknowledgements)}:\n` +
          verdict.blocking.map((f) => `  { "stack": "${f.stack}", "address": "${f.address}", "reason": "<why this is intended>" }`).join("\n"),
      );
      if (options.check) process.exitCode = 1;
    } else if (options.check) {
      console.log("\ncheck passed: no unacknowledged data-at-risk flag.");
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  // Usage, git and settings problems: the message says what to fix; a stack trace would bury it.
  console.error(`npm run review: ${(error as Error).message}`);
  process.exit(2);
}
