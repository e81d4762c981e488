/**
 * The documentation's commands and settings work as written on a clean clone without internet:
 * every block marked `sh offline` in README.md and docs/ is run, every block marked
 * `json settings` is synthesized as a DEPLOYMENT_SETTINGS file, every block marked
 * `json environments/<name>.json` as that file of a copy of the project, and the commands leave every
 * tracked file as it was. Links, named scripts and the set-up commands are a repository guard
 * (npm run check, documents).
 */
import { execSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";
import { PROJECT_ROOT } from "../src/validation/deployment";
import { copyOfApp, runApp } from "./helpers";

jest.setTimeout(600_000);

const documents = [
  "README.md",
  ...fs
    .readdirSync(path.join(PROJECT_ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join("docs", f)),
  path.join("docs", "ci", "README.md"),
];
const text = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");

/** The command lines of the fenced blocks whose info string is `sh offline`, without comments. */
function offlineCommands(file: string): string[] {
  return [...text(file).matchAll(/```sh offline\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
}

const commands = documents.flatMap((file) => offlineCommands(file).map((command) => [file, command] as const));

/** What git sees of the tracked files: which differ from the commit, and how. */
const trackedState = () =>
  execSync("git status --porcelain --untracked-files=no && git diff", { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
const trackedBefore = trackedState();

test("the documents mark their offline commands", () => {
  expect(commands.map(([, c]) => c)).toEqual(expect.arrayContaining(["npm run synth", "npm run synth:hcl", "npm run plan", "npm run cost", "npm run diagram"]));
});

test.each(commands)("%s: `%s` runs offline", (_file, command) => {
  const output = execSync(`${command} 2>&1`, { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, CI: "true" }, shell: "/bin/bash" });
  // No failed version check against checkpoint-api.hashicorp.com: the npm scripts switch it off.
  expect(output).not.toMatch(/ENOTFOUND|checkpoint-api/);
});

/** The blocks whose info string is `json settings`: settings files as the documents show them. */
const settingsExamples = documents.flatMap((file) => [...text(file).matchAll(/```json settings\n([\s\S]*?)```/g)].map((m, i) => [file, i + 1, m[1]] as const));

test("running the documents' commands leaves every tracked file as it was (generated pictures go to review/ unless asked for)", () => {
  // GIVEN the tracked files before the commands above ran WHEN compared after them THEN nothing changed
  expect(trackedState()).toBe(trackedBefore);
});

test("the documents show settings examples", () => {
  expect(settingsExamples.length).toBeGreaterThanOrEqual(1);
});

test.each(settingsExamples)("%s: settings example %d synthesizes as written, with a stack for each environment it declares", (_file, _n, json) => {
  // GIVEN the example as a DEPLOYMENT_SETTINGS file
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "docs-settings-"));
  fs.writeFileSync(path.join(scratch, "settings.json"), json);
  // WHEN main.ts synthesizes with it
  const result = spawnSync(process.execPath, ["tools/app.cjs"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, DEPLOYMENT_SETTINGS: path.join(scratch, "settings.json"), CDKTF_OUTDIR: path.join(scratch, "out") },
  });
  // THEN it succeeds and writes a stack for each environment the example names
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const written = fs.readdirSync(path.join(scratch, "out", "stacks"));
  expect(Object.keys(JSON.parse(json).environments ?? {}).filter((environment) => !written.includes(environment))).toEqual([]);
});

/** The blocks whose info string is `json environments/<name>.json`: an environment's committed file, as the documents show it. */
const environmentFiles = documents.flatMap((file) =>
  [...text(file).matchAll(/```json (environments\/([a-z0-9]+)\.json)\n([\s\S]*?)```/g)].map((m, i) => [file, i + 1, m[1], m[2], m[3]] as const),
);

test("the documents show an environment's committed file", () => {
  expect(environmentFiles.length).toBeGreaterThanOrEqual(1);
});

test.each(environmentFiles)("%s: environment file %d (%s) synthesizes as written, its stack beside the committed ones", (_file, _n, file, name, json) => {
  // GIVEN a copy of the project with the example saved where the document says (the project's app bundle, keyed by content)
  const copy = copyOfApp("docs-environment-", true);
  fs.writeFileSync(path.join(copy, file), json);
  // WHEN main.ts synthesizes there, without any settings file
  const written = fs.readdirSync(path.join(runApp(copy), "stacks"));
  // THEN the environment has its stack beside the committed ones
  expect(written).toEqual(expect.arrayContaining([name, "dev", "prod", "ci", "baseline", "state"]));
});

test('docs/architecture.md\'s "At a glance" names every stack of the committed settings, with its state key', () => {
  // GIVEN the table's rows: stack, what it holds, where its state is
  const glance = /## At a glance\n\n([\s\S]*?)\n\n/.exec(text(path.join("docs", "architecture.md")))?.[1] ?? "";
  const rows = glance
    .split("\n")
    .slice(2)
    .map((row) => row.split(" | "));
  const documented = Object.fromEntries(rows.map(([stack, , state]) => [stack.replace(/^\| `|`$/g, ""), /key `([^`]+)`/.exec(state)?.[1] ?? "local"]));
  // WHEN the committed settings are synthesized
  const stacks = cachedSynthesis({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "docs-glance-")), settings: projectSettings() }).stacks;
  const synthesized = Object.fromEntries(stacks.map((s) => [s.name, JSON.parse(fs.readFileSync(s.file, "utf8")).terraform.backend.s3?.key ?? "local"]));
  // THEN the table has exactly those stacks and their state keys
  expect(documented).toEqual(synthesized);
});
