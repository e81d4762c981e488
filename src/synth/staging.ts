/**
 * Where main.ts writes, so that a run leaves either its whole result or nothing: synthesis goes
 * into a staging directory beside the output (`<outdir>.staging-<pid>-*`), which is published
 * into the output only once every stack has passed its checks. Publishing also removes the
 * stacks the settings no longer produce, except a personal environment's; a run that is stopped (Ctrl-C, the cdktf CLI's
 * SIGTERM) removes its staging directory, and one that was killed outright is cleaned up by
 * the next run.
 */
import * as fs from "fs";
import * as path from "path";

const STAGING_INFIX = ".staging-";

/** The stacks a synthesis wrote, from its manifest.json (empty when there is none). */
function manifestStacks(outdir: string): string[] {
  const file = path.join(outdir, "manifest.json");
  if (!fs.existsSync(file)) return [];
  return Object.keys(JSON.parse(fs.readFileSync(file, "utf8")).stacks ?? {});
}

/**
 * The stack directories under `outdir` that a cdktf synthesis wrote: those its manifest names,
 * and those whose configuration (cdk.tf.json) or HCL metadata (metadata.json) carries cdktf's
 * metadata with the directory's name as the stack's, from a run whose manifest was since replaced.
 */
function synthesizedStacks(outdir: string): string[] {
  const stacksDir = path.join(outdir, "stacks");
  const stackNameIn = (file: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8"))["//"]?.metadata?.stackName;
    } catch {
      return undefined;
    }
  };
  const written = fs.existsSync(stacksDir)
    ? fs.readdirSync(stacksDir).filter((name) => ["cdk.tf.json", "metadata.json"].some((file) => stackNameIn(path.join(stacksDir, name, file)) === name))
    : [];
  return [...new Set([...manifestStacks(outdir), ...written])];
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the staging directories of `outdir` whose run no longer exists (killed before it could
 * clean up); another run's live staging directory is left alone. Returns the removed paths.
 */
export function removeAbandonedStaging(outdir: string): string[] {
  const parent = path.dirname(outdir);
  const prefix = `${path.basename(outdir)}${STAGING_INFIX}`;
  if (!fs.existsSync(parent)) return [];
  return fs
    .readdirSync(parent)
    .filter((name) => name.startsWith(prefix))
    .filter((name) => {
      const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
      return !(Number.isInteger(pid) && pid > 0 && isRunning(pid));
    })
    .map((name) => {
      const dir = path.join(parent, name);
      fs.rmSync(dir, { recursive: true, force: true });
      return dir;
    });
}

/**
 * A new staging directory for `outdir`, named after this process, after removing abandoned
 * ones. Until it is published or discarded, SIGINT and SIGTERM discard it and exit (130, 143):
 * JavaScript runs to completion, so the signal is handled after synthesis and before
 * publishing, which the caller therefore runs from `setImmediate`.
 */
export function createStaging(outdir: string): string {
  removeAbandonedStaging(outdir);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  // Listening before the directory exists: no moment where a signal could leave it behind.
  let staging: string | undefined;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      // Once published (or discarded) there is nothing left to undo.
      if (staging && fs.existsSync(staging)) {
        discard(staging);
        console.error(`${signal}: stopped; nothing was written, ${path.relative(process.cwd(), outdir) || "."} is as it was.`);
      }
      process.exit(code);
    });
  }
  staging = fs.mkdtempSync(`${outdir}${STAGING_INFIX}${process.pid}-`);
  return staging;
}

/** Removes a staging directory and everything in it. */
export function discard(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

export interface PublishOptions {
  /**
   * The cdktf CLI runs the app (it sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) and deletes the
   * stale stack directories itself once the app is done. @default false: `npm run synth`, the tools
   */
  readonly cdktfRemovesStale?: boolean;
}

export interface Published {
  /** Each stack written, with the path of its configuration file. */
  readonly written: { readonly stack: string; readonly file: string }[];
  /** Stack directories removed because the settings no longer produce their stack (under the cdktf CLI: that it removes once the app is done). */
  readonly removed: string[];
  /** Stack directories of stacks no longer produced, kept because they hold a local state file. */
  readonly kept: string[];
  /** Stack directories of personal environments this synthesis did not read (another DEPLOYMENT_SETTINGS file's, or none), kept. */
  readonly keptPersonal: string[];
}

/**
 * The output's record of the stacks written for personal environments (a DEPLOYMENT_SETTINGS
 * file's own), which a synthesis without that file keeps: it cannot tell a sandbox left out of
 * the file from one whose file it was not given.
 */
const PERSONAL_RECORD = "personal-stacks.json";

/** Writes the record of personal stacks (none: no record file). */
function recordPersonal(outdir: string, record: readonly string[]): void {
  if (record.length > 0) fs.writeFileSync(path.join(outdir, PERSONAL_RECORD), `${JSON.stringify(record)}\n`);
  else fs.rmSync(path.join(outdir, PERSONAL_RECORD), { force: true });
}

function recordedPersonal(outdir: string): string[] {
  try {
    return JSON.parse(fs.readFileSync(path.join(outdir, PERSONAL_RECORD), "utf8")) as string[];
  } catch {
    return [];
  }
}

/**
 * Moves every file of `staging` to the same place under `outdir`, keeping what else is there
 * (a stack's .terraform directory, the state stack's local state), and removes the directories
 * of stacks that an earlier synthesis wrote and this one did not; a directory cdktf did not
 * write, one that holds a local state file, or a personal environment's (`personal`: this
 * synthesis's personal stacks, recorded for the next) is never removed.
 */
export function publish(staging: string, outdir: string, personal: readonly string[] = [], options: PublishOptions = {}): Published {
  const current = manifestStacks(staging);
  const dirOf = (stack: string) => path.join(outdir, "stacks", stack);
  const holdsState = (dir: string) => fs.existsSync(dir) && fs.readdirSync(dir).some((name) => name.endsWith(".tfstate"));
  if (options.cdktfRemovesStale) return publishUnderCdktf(staging, outdir, current, dirOf, holdsState);
  const previous = synthesizedStacks(outdir);
  const stale = previous.filter((stack) => !current.includes(stack));
  const othersPersonal = recordedPersonal(outdir).filter((stack) => stale.includes(stack) && fs.existsSync(dirOf(stack)));
  const candidates = stale.filter((stack) => !othersPersonal.includes(stack)).map(dirOf);
  const kept = candidates.filter(holdsState);
  const removed = candidates.filter((dir) => !holdsState(dir) && fs.existsSync(dir));
  for (const dir of removed) fs.rmSync(dir, { recursive: true, force: true });
  moveInto(staging, outdir);
  discard(staging);
  const record = [...new Set([...othersPersonal, ...personal.filter((stack) => current.includes(stack))])].sort();
  recordPersonal(outdir, record);
  return { written: writtenStacks(current, dirOf), removed, kept, keptPersonal: othersPersonal.map(dirOf) };
}

function writtenStacks(current: readonly string[], dirOf: (stack: string) => string): Published["written"] {
  return current.map((stack) => {
    const dir = dirOf(stack);
    const file = ["cdk.tf.json", "cdk.tf"].map((name) => path.join(dir, name)).find((f) => fs.existsSync(f)) ?? dir;
    return { stack, file };
  });
}

/** A stale stack directory holds a local state file, which the cdktf CLI would delete after this run. */
export class StateWouldBeDeletedError extends Error {}

/**
 * Publishing for a run of the cdktf CLI (`cdktf deploy`, `diff`, `synth --hcl`). The CLI lists
 * the directories under `<outdir>/stacks` before it starts the app and, once the app is done,
 * deletes every one that the new manifest does not name (cdktf-cli 0.21, `synth`), whatever it
 * holds: removing them here first made it fail on the first missing one (ENOENT), and what
 * `publish` keeps (a local state file, a personal environment's stack) it deletes anyway. So the
 * directories are left to it, and a run that would make it delete a local state file is refused
 * before anything is written.
 */
function publishUnderCdktf(
  staging: string,
  outdir: string,
  current: readonly string[],
  dirOf: (stack: string) => string,
  holdsState: (dir: string) => boolean,
): Published {
  const stacksDir = path.join(outdir, "stacks");
  const stale = fs.existsSync(stacksDir)
    ? fs
        .readdirSync(stacksDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !current.includes(entry.name))
        .map((entry) => dirOf(entry.name))
    : [];
  const withState = stale.filter(holdsState);
  if (withState.length > 0) {
    discard(staging);
    const rel = (p: string) => path.relative(process.cwd(), p) || ".";
    throw new StateWouldBeDeletedError(
      withState
        .map(
          (dir) =>
            `${rel(dir)} holds a local Terraform state file, and its stack is no longer in the settings: the cdktf CLI deletes such a directory after synthesizing. ` +
            `Fix: move the state file out of ${rel(stacksDir)} (or restore the settings that produce the stack), then run again; npm run synth keeps such a directory.`,
        )
        .join("\n"),
    );
  }
  moveInto(staging, outdir);
  discard(staging);
  const record = recordedPersonal(outdir).filter((stack) => current.includes(stack));
  recordPersonal(outdir, record);
  return { written: writtenStacks(current, dirOf), removed: stale, kept: [], keptPersonal: [] };
}

function moveInto(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) moveInto(source, target);
    else fs.renameSync(source, target);
  }
}

/** The lines main.ts prints after publishing: one per stack written, one per stack removed or kept. */
export function publishedLines(result: Published, cwd = process.cwd()): string[] {
  const rel = (p: string) => path.relative(cwd, p) || ".";
  return [
    ...result.written.map(({ stack, file }) => `${stack}: ${rel(file)}`),
    ...result.removed.map((dir) => `removed ${rel(dir)}: its stack is no longer in the settings`),
    ...result.kept.map(
      (dir) =>
        `kept ${rel(dir)}: its stack is no longer in the settings, but it holds a local Terraform state file; move the state elsewhere, then delete the directory`,
    ),
    ...result.keptPersonal.map(
      (dir) =>
        `kept ${rel(dir)}: a personal environment's stack, from a DEPLOYMENT_SETTINGS file this synthesis did not read; once the environment is destroyed, delete the directory`,
    ),
  ];
}
