/**
 * The commands' error paths, as a newcomer meets them: a bad setting, a stack name that does not
 * exist, an unknown flag. Each stops with a non-zero exit and says so on stderr, and every stream
 * it wrote ends its last line (a message without its newline runs into the shell's prompt).
 * Only paths that start no Terraform run here; plan's and the review's with Terraform are in
 * docs.spec and change-review.spec.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../src/validation/deployment";
import { copyOfApp } from "./helpers";

jest.setTimeout(120_000);

/** A copy of the project whose environments/qa.json has a value synthesis refuses. */
const badSettings = (() => {
  let copy: string | undefined;
  return () => {
    if (!copy) {
      copy = copyOfApp("command-errors-");
      fs.writeFileSync(path.join(copy, "environments", "qa.json"), '{"preset":"dev","service":{"desiredCount":-1}}');
    }
    return copy;
  };
})();

/** `npm run <script> -- <args>` in `cwd`, as the script runs it (the app for synth, tools/change-review.ts for review). */
function run(script: string, args: string[], cwd = PROJECT_ROOT) {
  const file = script === "review" ? "change-review" : script;
  const entry = script === "synth" ? ["tools/app.cjs"] : ["--require", "esbuild-register", `tools/${file}.ts`];
  return spawnSync(process.execPath, [...entry, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: path.join(cwd, "cdktf.out"), DEPLOYMENT_SETTINGS: "" },
  });
}

const UNKNOWN_ARGUMENTS: [string, string[]][] = [
  ["plan", ["--stack", "nope"]],
  ["plan", ["--bogus"]],
  ["cost", ["--stack", "nope"]],
  ["cost", ["--bogus"]],
  ["review", ["--bogus"]],
  ["review", ["--stack"]],
  ["diagram", ["--bogus"]],
  ["exceptions", ["--bogus"]],
  ["failover", []],
  ["migrate", []],
  ["check", ["nope"]],
];

test.each(UNKNOWN_ARGUMENTS)("npm run %s with %j stops, saying so on stderr, every line ended", (command, args) => {
  const { status, stdout, stderr } = run(command, args);
  expect(status).toBe(2);
  expect(stderr).toMatch(/\S\n$/);
  expect(stdout === "" || stdout.endsWith("\n")).toBe(true);
});

test("npm run review with a stack name that does not exist names the stacks there are, before starting Terraform, every line ended", () => {
  const { status, stderr } = run("review", ["--base", "HEAD", "--stack", "nope"]);
  expect({ status, stderr }).toEqual({
    status: 2,
    stderr: expect.stringMatching(
      /^npm run review: no stack nope in the base or the working tree\. Fix: name one of baseline, ci, dev, prod, prod-dr, state with --stack, or none to review them all\.\n$/,
    ),
  });
});

test.each([["synth"], ["plan"], ["cost"], ["diagram"], ["failover"], ["migrate"]])(
  "npm run %s with a bad setting in environments/qa.json says the one message of every problem, naming the file, every line ended",
  (command) => {
    const { status, stdout, stderr } = run(command, command === "failover" || command === "migrate" ? ["prod"] : [], badSettings());
    expect({ status, stdout, stderr }).toEqual({
      status: 1,
      stdout: "",
      stderr:
        "Invalid deployment configuration (1 problem):\n  - environments/qa.json: service.desiredCount is -1, below the minimum of 0. Fix: set it to 0 or more.\n",
    });
  },
);
