/**
 * The synthesis cache: synthesized stacks kept on disk (.cache/synth, git-ignored) by a hash of
 * everything they are built from: the sources and installed packages (source-hash.cjs, the key of
 * the app's own bundle), the scanner exceptions, the settings layers and what was asked for. Every
 * process of the project shares it: the spec files of a test run (Jest's workers share no memory),
 * `npm run cost` and `npm run diagram`, so a settings variant is synthesized once, not once per
 * file or per command. Nothing is keyed by a time or a length: an edit of any source is a new key.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { DeploymentSettings } from "../validation";
import { PROJECT_ROOT, resolveDeployment } from "../validation/deployment";
import { synthesize } from "./synthesize";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, shared with tools/app.cjs
const { sourceHash } = require("./source-hash.cjs") as { sourceHash: (root?: string) => string };

/** Where the entries are kept. */
export const SYNTH_CACHE_DIR = path.join(PROJECT_ROOT, ".cache", "synth");

/** An entry nobody has read for this long belongs to sources long gone. */
const UNUSED_FOR_MS = 7 * 24 * 3600_000;

let sources: string | undefined;

/** The sources' hash, once per process (the sources do not change under a running process). */
function sourcesKey(): string {
  if (!sources) {
    const exceptions = fs.readFileSync(path.join(PROJECT_ROOT, "security", "exceptions.json"));
    sources = createHash("sha256").update(sourceHash(PROJECT_ROOT)).update(exceptions).digest("hex");
  }
  return sources;
}

/** The key of an entry: the sources' hash and `parts` (what the caller asks for). */
export function synthesisKey(parts: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify([sourcesKey(), parts]))
    .digest("hex");
}

/** An entry's text, counting as used now; undefined when there is none. */
function read(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, "utf8");
    const now = new Date();
    fs.utimesSync(file, now, now);
    return text;
  } catch {
    return undefined;
  }
}

/** Writes an entry whole (a reader in another worker never sees half of it), and drops entries unused for a week. */
function write(file: string, text: string): void {
  fs.mkdirSync(SYNTH_CACHE_DIR, { recursive: true });
  const partial = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
  for (const name of fs.readdirSync(SYNTH_CACHE_DIR)) {
    const stat = fs.statSync(path.join(SYNTH_CACHE_DIR, name), { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > UNUSED_FOR_MS) fs.rmSync(path.join(SYNTH_CACHE_DIR, name), { force: true });
  }
}

/**
 * The text `compute` returns for `parts`, from the cache when the same sources computed it
 * before. `parts` must name everything besides the sources that the text depends on.
 */
export function cachedText(parts: unknown, compute: () => string): string {
  const file = path.join(SYNTH_CACHE_DIR, `${synthesisKey(parts)}.json`);
  const cached = read(file);
  if (cached !== undefined) return cached;
  const text = compute();
  write(file, text);
  return text;
}

/**
 * The Terraform JSON text of `stacks` (every stack by default), by name, as synthesize writes them
 * from `settings` (the stacks the settings do not produce are absent). The settings are validated
 * as a whole every time, so bad settings throw the same ConfigurationError whether the stacks are
 * cached or not.
 */
export function cachedStacks(settings: readonly DeploymentSettings[], stacks?: readonly string[]): Map<string, string> {
  resolveDeployment([...settings]);
  const text = cachedText(["stacks", settings, stacks ?? "every stack"], () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-cache-"));
    try {
      const written = synthesize({ outdir, settings, stacks }).stacks;
      return JSON.stringify(Object.fromEntries(written.map((stack) => [stack.name, fs.readFileSync(stack.file, "utf8")])));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
  return new Map(Object.entries(JSON.parse(text) as Record<string, string>));
}
