/**
 * One stack's review in a worker thread of `npm run review` (command.ts): Terraform's commands
 * block the thread that runs them, so each stack planned side by side gets a thread of its own.
 * Writes the stack's report (change.md, change-plan.json) and posts its StackChange back.
 */
import * as fs from "fs";
import * as path from "path";
import { parentPort, workerData } from "worker_threads";
import { type Flag, renderStackChange } from "./change-report";
import type { StackConfiguration } from "./configuration";
import { reviewStack, type StackReview } from "./review";
import type { TerraformSetup } from "../terraform/harness";

/** What the command hands a worker. */
export interface StackJob {
  readonly setup: TerraformSetup;
  readonly name: string;
  readonly base?: StackConfiguration;
  /** Always there: a stack that left the configuration is reported without a plan (review.ts leftReview). */
  readonly head: StackConfiguration;
  /** The working directory of the stack's offline deployment. */
  readonly dir: string;
  readonly replicas: [string, string[]][];
  /** Where change.md and change-plan.json go. */
  readonly out: string;
  /** The base as the report's heading names it: `HEAD (1a2b3c4)`. */
  readonly baseName: string;
  /** The full base commit: whole-resource flags are bound to it (ReviewContext.binding). */
  readonly binding: string;
  /** The flags of the stack as a whole (its backend, its regions: review.ts stackFlags), which its plan cannot show; listed first. */
  readonly stackFlags: readonly Flag[];
}

/** What a worker posts back when its stack is reviewed. */
export type StackResult = Pick<StackReview, "change" | "status">;

/** Reviews one stack and writes its report. */
export function runStackJob(job: StackJob): StackResult {
  const planned = reviewStack(job.setup, job.name, job.base, job.head, job.dir, new Map(job.replicas), job.binding);
  const review = { ...planned, change: { ...planned.change, flags: [...job.stackFlags, ...planned.change.flags] } };
  writeStackReport(job.out, job.name, job.baseName, review);
  return { change: review.change, status: review.status };
}

/** review/<stack>/change.md and, when the stack was planned, change-plan.json. */
export function writeStackReport(out: string, name: string, baseName: string, review: StackReview): void {
  writeChangeReport(out, name, baseName, review);
  const planFile = path.join(out, "change-plan.json");
  if (review.plan) fs.writeFileSync(planFile, JSON.stringify(review.plan, null, 2));
  else fs.rmSync(planFile, { force: true });
}

/** review/<stack>/change.md, its flags marked where an acknowledgement (by fingerprint: its reason) accepts them. */
export function writeChangeReport(
  out: string,
  name: string,
  baseName: string,
  review: Pick<StackReview, "change" | "status">,
  acknowledged: ReadonlyMap<string, string> = new Map(),
): void {
  fs.mkdirSync(out, { recursive: true });
  const status = {
    changed: "",
    new: ", a new stack",
    removed: ", the stack left the configuration (nothing destroys it)",
    unchanged: ": the same configuration as the base (cdktf's metadata aside), so nothing was planned",
  }[review.status];
  const heading = `Change review of stack \`${name}\`: working tree against ${baseName}${status}`;
  fs.writeFileSync(path.join(out, "change.md"), renderStackChange(review.change, heading, acknowledged));
}

if (parentPort && (workerData as { job?: StackJob } | null)?.job) {
  parentPort.postMessage(runStackJob((workerData as { job: StackJob }).job));
}
