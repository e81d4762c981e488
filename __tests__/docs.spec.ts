/**
 * The documentation's commands and settings work as written on a clean clone without internet:
 * every block marked `sh offline` in README.md and docs/ is run, every block marked
 * `json settings` is synthesized as a DEPLOYMENT_SETTINGS file, every block marked
 * `json environments/<name>.json` as that file of a copy of the project (its keys added to the
 * committed file of that name, if there is one), and the commands leave every
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
import { QUIET_ENV } from "../tools/lib/console/progress";
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

/**
 * A stack directory that an earlier synthesis with other settings wrote into the HCL output (as
 * cdktf writes one: its metadata names it): `cdktf synth --hcl` must remove it, not fail on it.
 * The cdktf CLI lists the stack directories before the app runs and deletes the stale ones after
 * it; the app removing them first made it fail with ENOENT (src/synth/staging.ts).
 */
const staleHclStack = path.join(PROJECT_ROOT, "cdktf.out", "hcl", "stacks", "baseline-111111111111");

test.each(commands)("%s: `%s` runs offline", (_file, command) => {
  if (command === "npm run synth:hcl") {
    fs.mkdirSync(staleHclStack, { recursive: true });
    fs.writeFileSync(path.join(staleHclStack, "metadata.json"), JSON.stringify({ "//": { metadata: { stackName: "baseline-111111111111" } } }));
  }
  const output = execSync(`${command} 2>&1`, { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, CI: "true" }, shell: "/bin/bash" });
  // No failed version check against checkpoint-api.hashicorp.com: the npm scripts switch it off.
  expect(output).not.toMatch(/ENOTFOUND|checkpoint-api/);
  if (command === "npm run synth:hcl") {
    expect(output).toContain("removed cdktf.out/hcl/stacks/baseline-111111111111: its stack is no longer in the settings");
    expect(fs.existsSync(staleHclStack)).toBe(false);
  }
});

test("operations.md's `npm run plan`: stdout holds one line per stack, as scripts read it; with the quiet time forced to 0, stderr says each stack as it starts, then its time and source", () => {
  // GIVEN the stacks, planned once (by the documented `npm run plan` above in a whole run), so each is in the plan cache
  const stacks = cachedSynthesis({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "docs-plan-")), settings: projectSettings() }).stacks.map((s) => s.name);
  execSync("npm run -s plan", { cwd: PROJECT_ROOT, stdio: "ignore" });
  // WHEN npm run plan runs again, told to say every step
  const result = spawnSync("npm", ["run", "-s", "plan"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, [QUIET_ENV]: "0" } });
  expect(result.status).toBe(0);
  // THEN stdout is each stack's line, as it always was: the third line of its summary, and where the files are
  const summaryLine = (stack: string) => text(path.join("review", stack, "summary.md")).split("\n")[2];
  expect(result.stdout).toBe(stacks.map((stack) => `${stack}: ${summaryLine(stack)} -> review/${stack}/summary.md, plan.json\n`).join(""));
  expect(result.stdout).toMatch(/^dev: Resources: \d+ to create\. -> review\/dev\/summary\.md, plan\.json$/m);
  // AND stderr says the synthesis, then each stack as it starts and, when done, its time and that its plan came from the plan cache
  const progress = result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("  still planning: "));
  expect(progress).toEqual([
    "synthesizing the stacks...",
    ...stacks.flatMap((stack) => [
      `${stack}: planning...`,
      expect.stringMatching(new RegExp(`^${stack}: done in \\d+\\.\\d s, its plan read from the plan cache$`)),
    ]),
  ]);
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

/**
 * The blocks whose info string is `json environments/<name>.json`: an environment's committed file,
 * or the keys to add to it (the multi-account example's dev and prod), as the documents show it.
 */
const environmentFiles = documents.flatMap((file) =>
  [...text(file).matchAll(/```json (environments\/([a-z0-9]+)\.json)\n([\s\S]*?)```/g)].map((m, i) => [file, i + 1, m[1], m[2], m[3]] as const),
);

test("the documents show an environment's committed file", () => {
  expect(environmentFiles.length).toBeGreaterThanOrEqual(1);
});

test.each(environmentFiles)(
  "%s: environment file %d (%s) synthesizes as written, its stack beside the committed ones, in the account it names if it names one",
  (document, _n, file, name, json) => {
    // GIVEN a copy of the project with the example saved where the document says, added to the file there is;
    // an example that names an account is one of a layout of accounts: the document's other files
    // that name one are saved with it (an environment left in the state account is refused)
    const copy = copyOfApp("docs-environment-", true);
    const example = JSON.parse(json) as { accountId?: string };
    const layout = example.accountId
      ? environmentFiles.filter(([d, , , , j]) => d === document && (JSON.parse(j) as { accountId?: string }).accountId)
      : [[document, 0, file, name, json] as const];
    for (const [, , f, , j] of layout) {
      const target = path.join(copy, f);
      const committed = fs.existsSync(target) ? (JSON.parse(fs.readFileSync(target, "utf8")) as object) : {};
      fs.writeFileSync(target, JSON.stringify({ ...committed, ...(JSON.parse(j) as object) }));
    }
    // WHEN main.ts synthesizes there, without any settings file
    const stacks = path.join(runApp(copy), "stacks");
    // THEN the environment has its stack beside the committed ones (in a layout of accounts, the
    // state account's baseline; CI stacks per account), in its account
    expect(fs.readdirSync(stacks)).toEqual(expect.arrayContaining([name, "dev", "prod", "baseline", "state", ...(example.accountId ? [] : ["ci"])]));
    const stack = JSON.parse(fs.readFileSync(path.join(stacks, name, "cdk.tf.json"), "utf8")) as { provider: { aws: { allowed_account_ids: string[] }[] } };
    if (example.accountId) expect(stack.provider.aws[0].allowed_account_ids).toEqual([example.accountId]);
  },
);

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
