/**
 * The synthesis cache: what synthesize writes (the stacks, their checkov baselines, the manifest)
 * kept on disk (.cache/synth, git-ignored) by a hash of everything it is built from: the sources
 * and installed packages (source-hash.cjs, the key of the app's own bundle), the scanner
 * exceptions, the settings layers and what was asked for. Every process of the project shares it:
 * the spec files of a test run (Jest's workers share no memory) and its global setup,
 * `npm run plan`, `npm run cost` and `npm run diagram`, so a settings variant is synthesized once,
 * not once per file or per command. Nothing is keyed by a time or a length: an edit of any source
 * is a new key.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { DeploymentSettings } from "../validation";
import { PROJECT_ROOT, resolveDeployment } from "../validation/deployment";
import { type Synthesis, synthesize, synthesizedStack, type SynthesizeOptions } from "./synthesize";

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

/** Every file under `dir`, by its path relative to `dir` ("/"-separated), with its text. */
function filesUnder(dir: string): Record<string, string> {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(dir, file)).isFile()).sort();
  return Object.fromEntries(files.map((file) => [file.split(path.sep).join("/"), fs.readFileSync(path.join(dir, file), "utf8")]));
}

/** What synthesize writes for `options` (outdir aside), by file: computed once for the same sources and options. */
function synthesisFiles({ settings, format = "json", stacks }: Omit<SynthesizeOptions, "outdir">): Record<string, string> {
  const text = cachedText(["synthesis", settings, format, stacks ?? "every stack"], () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-cache-"));
    try {
      synthesize({ outdir, settings, format, stacks });
      return JSON.stringify(filesUnder(outdir));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
  return JSON.parse(text) as Record<string, string>;
}

/**
 * `synthesize(options)` through the cache: the same files written into `options.outdir` (emptied
 * first; every stack, the manifest, the checkov baselines), the same result, but a settings
 * variant is synthesized once for every spec file and process that asks for it with the same
 * sources. The settings are validated every time, so bad settings throw the same
 * ConfigurationError cached or not (a PolicyCheckError is never cached either: nothing is kept
 * for a synthesis that throws).
 */
export function cachedSynthesis(options: SynthesizeOptions): Synthesis {
  const deployment = resolveDeployment([...options.settings]);
  const files = synthesisFiles(options);
  fs.rmSync(options.outdir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(options.outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(options.outdir, file), text);
  }
  const names = Object.keys((JSON.parse(files["manifest.json"]) as { stacks: Record<string, unknown> }).stacks);
  const stacks = names.map((name) => synthesizedStack(options.outdir, name, options.format ?? "json")).sort((a, b) => (a.name < b.name ? -1 : 1));
  return { deployment, stacks };
}

/**
 * The Terraform JSON text of `stacks` (every stack by default), by name, as synthesize writes them
 * from `settings` (the stacks the settings do not produce are absent). The settings are validated
 * as a whole every time, so bad settings throw the same ConfigurationError whether the stacks are
 * cached or not. Every stack comes from the same entry as cachedSynthesis's.
 */
export function cachedStacks(settings: readonly DeploymentSettings[], stacks?: readonly string[]): Map<string, string> {
  resolveDeployment([...settings]);
  const files = synthesisFiles({ settings, stacks });
  return new Map(
    Object.entries(files)
      .map(([file, text]) => [/^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(file)?.[1], text] as const)
      .filter((entry): entry is [string, string] => entry[0] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
