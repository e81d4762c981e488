/**
 * `npm run review -- [--base <git ref>] [--stack <name>]... [--check] [--acknowledgements <file>]`
 *
 * What the working tree does to infrastructure deployed from the base: both are synthesized
 * (each with its own app command and settings), the base is "deployed" into an offline state,
 * and the working tree is planned against it with the real AWS provider. Writes
 * review/<stack>/change.md and change-plan.json, prints the summary (review.ts); with
 * --check, exits 1 on any data-at-risk flag that no acknowledgement accepts (acknowledgements.ts).
 */
import { execFileSync, execSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readAcknowledgements } from "./acknowledgements";
import { renderStackChange } from "./change-report";
import { replicasOf, reviewStack, summaryLines, verdictOf, type StackReview } from "./review";
import { synthesizeTree, warningLines } from "./sides";
import { PROJECT_ROOT } from "../../../src/config/deployment";
import { REVIEW_DIR, setupTerraform, WORK_ROOT } from "../terraform/harness";

export const DEFAULT_ACKNOWLEDGEMENTS = path.join(PROJECT_ROOT, "change-acknowledgements.json");

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
export function changeReview(argv: string[]): number {
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
  const setup = setupTerraform();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "change-review-"));
  try {
    extractRef(base, path.join(scratch, "base"));
    const before = synthesizeTree(path.join(scratch, "base"), path.join(scratch, "base-out"), `base ${base} (${baseCommit})`);
    const after = synthesizeTree(PROJECT_ROOT, path.join(scratch, "head-out"), "working tree");
    for (const line of warningLines(baseCommit, before.warnings, after.warnings)) console.log(line);
    const names = [...new Set([...before.stacks.keys(), ...after.stacks.keys()])]
      .filter((n) => options.stacks.length === 0 || options.stacks.includes(n))
      .sort();
    const unknownStacks = options.stacks.filter((s) => !before.stacks.has(s) && !after.stacks.has(s));
    if (unknownStacks.length > 0) throw new Error(`no stack ${unknownStacks.join(", ")} in the base or the working tree`);

    const replicas = replicasOf(before.stacks);
    const reviews: StackReview[] = [];
    for (const name of names) {
      const review = reviewStack(setup, name, before.stacks.get(name), after.stacks.get(name), path.join(WORK_ROOT, "review", name), replicas);
      const out = path.join(REVIEW_DIR, name);
      fs.mkdirSync(out, { recursive: true });
      const heading = `Change review of stack \`${name}\`: working tree against ${base} (${baseCommit})${review.status === "new" ? ", a new stack" : review.status === "removed" ? ", the stack is removed" : ""}`;
      fs.writeFileSync(path.join(out, "change.md"), renderStackChange(review.change, heading));
      fs.writeFileSync(path.join(out, "change-plan.json"), JSON.stringify(review.plan, null, 2));
      reviews.push(review);
    }

    const changes = reviews.map((r) => r.change);
    const verdict = verdictOf(changes, acknowledgements);
    const lines = summaryLines(changes, verdict, {
      check: options.check,
      acknowledgementsFile: path.relative(PROJECT_ROOT, options.acknowledgements),
      reportDir: path.relative(PROJECT_ROOT, REVIEW_DIR),
    });
    for (const line of lines) console.log(line);
    return verdict.blocking.length > 0 && options.check ? 1 : 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
