/**
 * `npm run plan` as a command: planStacks (plan.ts) in a worker thread, as the review plans its
 * stacks (stack-worker.ts): Terraform's commands block the thread that runs them, so this one
 * stays free to say what is being planned. stdout gets each stack's line as it is done, as it
 * always did; stderr, once a run has taken PLAN_QUIET_MS, which stack it is working on, then each
 * stack's time and whether its plan came from the plan cache, and every PLAN_PROGRESS_EVERY_MS
 * what is still being planned (the review's reporter, tools/lib/console/progress.ts).
 */
import * as path from "path";
import { performance } from "perf_hooks";
import { Worker } from "worker_threads";
import { Progress, quietFor } from "../console/progress";
// Types only: this thread loads neither cdktf nor the harness; the worker does.
import type { PlanMessage, PlanWorkerData } from "./plan";

export const PLAN_USAGE = "Usage: npm run plan (no arguments: it plans every stack the settings produce)";

/** A run that takes longer than this (a cold plan cache, a changed stack) says what it is working on. */
export const PLAN_QUIET_MS = 3_000;

/** How often a long run names what it is still planning, as the review does. */
const PLAN_PROGRESS_EVERY_MS = 15_000;

/** The step of the synthesis, before the first stack. */
const SYNTHESIS = "synthesis";

/**
 * Takes the messages of a plan run: each stack's line to `out` the moment it is done, what the
 * run is working on to `progress`, a failure to `fail` (its message, as the command prints it).
 */
export function planReport(out: (line: string) => void, progress: Progress, fail: (message: string) => void): (message: PlanMessage) => void {
  let synthesizing = false;
  return (message) => {
    if (message.kind === "synthesizing") {
      synthesizing = true;
      progress.start(SYNTHESIS, "synthesizing the stacks...");
    } else if (message.kind === "planning") {
      if (synthesizing) progress.done(SYNTHESIS);
      synthesizing = false;
      progress.start(message.stack, `${message.stack}: planning...`);
    } else if (message.kind === "planned") {
      out(message.line);
      const took = progress.done(message.stack);
      progress.say(`${message.stack}: done in ${took}, ${message.fromCache ? "its plan read from the plan cache" : "planned (not in the plan cache)"}`);
    } else {
      // A settings problem prints as synthesis prints it; anything else says which command it stopped.
      fail(message.configuration ? message.message : `npm run plan: ${message.message}`);
    }
  };
}

/** Runs `npm run plan`: each stack's line on `out`, what it is working on and any failure on `err`; the exit code. */
export function runPlan(out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const progress = new Progress(err, {
    quietForMs: quietFor(PLAN_QUIET_MS),
    everyMs: PLAN_PROGRESS_EVERY_MS,
    still: "planning",
    // the run started when the command did, module loading included
    startedAt: performance.timeOrigin,
  });
  let code = 0;
  const report = planReport(out, progress, (message) => {
    err(message);
    code = 1;
  });
  return new Promise<number>((resolve, reject) => {
    const workerData: PlanWorkerData = { planStacks: true };
    const worker = new Worker(path.join(__dirname, "plan.ts"), { workerData });
    worker.on("message", report);
    worker.once("error", reject);
    worker.once("exit", (exit) => (exit === 0 ? resolve(code) : reject(new Error(`the plan stopped (exit ${exit})`))));
  }).finally(() => progress.stop());
}
