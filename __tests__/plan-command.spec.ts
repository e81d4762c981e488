/**
 * `npm run plan` as a command (tools/lib/ops/plan-run.ts): stdout keeps each stack's line, as it
 * always printed it; a slow run says on stderr what it is working on. The messages are those a
 * run's worker posts (planStacks); the whole command, with Terraform, runs in docs.spec.
 */
import { spawnSync } from "child_process";
import { Progress } from "../tools/lib/console/progress";
import type { PlanMessage } from "../tools/lib/ops/plan";
import { PLAN_QUIET_MS, planReport } from "../tools/lib/ops/plan-run";
import { PROJECT_ROOT } from "../src/validation/deployment";

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

const line = (stack: string, resources: number) => `${stack}: Resources: ${resources} to create. -> review/${stack}/summary.md, plan.json`;

/** A run's messages, each after the milliseconds before it: the synthesis, then two stacks. */
const RUN: [number, PlanMessage][] = [
  [0, { kind: "synthesizing" }],
  [1_000, { kind: "planning", stack: "baseline" }],
  [500, { kind: "planned", stack: "baseline", line: line("baseline", 49), fromCache: true }],
  [0, { kind: "planning", stack: "prod" }],
  [8_000, { kind: "planned", stack: "prod", line: line("prod", 157), fromCache: false }],
];

/** Reports RUN through a reporter quiet for `quietForMs`: what went to stdout and to stderr. */
function report(quietForMs: number): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const progress = new Progress((l) => stderr.push(l), { quietForMs, everyMs: 0 });
  const take = planReport(
    (l) => stdout.push(l),
    progress,
    (l) => stderr.push(l),
  );
  for (const [after, message] of RUN) {
    jest.advanceTimersByTime(after);
    take(message);
  }
  progress.stop();
  return { stdout, stderr };
}

test("GIVEN a run done within the quiet time WHEN reported THEN stdout has each stack's line and stderr nothing", () => {
  expect(report(60_000)).toEqual({ stdout: [line("baseline", 49), line("prod", 157)], stderr: [] });
});

test(`GIVEN a run that takes longer than ${PLAN_QUIET_MS / 1000} s WHEN reported THEN stderr names the stack being planned once the run passes it, and each stack's time and source when done; stdout is the same`, () => {
  const { stdout, stderr } = report(PLAN_QUIET_MS);
  expect(stdout).toEqual([line("baseline", 49), line("prod", 157)]);
  // baseline was done at 1.5 s, quietly; prod started at 1.5 s and is announced at 3 s
  expect(stderr).toEqual(["prod: planning...", "prod: done in 8.0 s, planned (not in the plan cache)"]);
});

test("GIVEN no quiet time WHEN reported THEN every step is said: the synthesis, each stack as it starts, and its time and source when done", () => {
  expect(report(0).stderr).toEqual([
    "synthesizing the stacks...",
    "baseline: planning...",
    "baseline: done in 0.5 s, its plan read from the plan cache",
    "prod: planning...",
    "prod: done in 8.0 s, planned (not in the plan cache)",
  ]);
});

test("GIVEN a run that stops WHEN reported THEN a settings problem is printed as synthesis prints it, anything else names the command", () => {
  const failures: string[] = [];
  const take = planReport(
    () => undefined,
    new Progress(() => undefined, { everyMs: 0 }),
    (l) => failures.push(l),
  );
  take({ kind: "failed", message: "Invalid deployment configuration (1 problem):\n  - ...", configuration: true });
  take({ kind: "failed", message: "terraform is not installed or not on PATH", configuration: false });
  expect(failures).toEqual(["Invalid deployment configuration (1 problem):\n  - ...", "npm run plan: terraform is not installed or not on PATH"]);
});

test("npm run plan refuses an argument with its usage, before planning anything (it used to plan every stack whatever it was given)", () => {
  jest.useRealTimers();
  const result = spawnSync(process.execPath, ["--require", "esbuild-register", "tools/plan.ts", "--stack", "nope"], { cwd: PROJECT_ROOT, encoding: "utf8" });
  expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
    status: 2,
    stderr: "npm run plan: unknown arguments: --stack nope. Usage: npm run plan (no arguments: it plans every stack the settings produce)\n",
    stdout: "",
  });
});
