/**
 * Reasoned acknowledgements of data-at-risk flags: the change review's gate (`--check`) passes a
 * flag only when this file names its stack and address with a reason.
 */
import * as fs from "fs";
import { z } from "zod";
import type { Flag } from "./change-report";

const acknowledgementSchema = z.strictObject({
  /** Stack the flag is raised in, e.g. `prod`. */
  stack: z.string().min(1),
  /** Terraform address the flag names, e.g. `aws_db_instance.database`. */
  address: z.string().min(1),
  /** Why losing this resource's data is intended or safe: who decided, and what was done first. */
  reason: z.string().trim().min(20, "must say why, in a sentence (20 characters or more)"),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  acknowledgements: z.array(acknowledgementSchema),
});

export type Acknowledgement = z.infer<typeof acknowledgementSchema>;

/** Reads the acknowledgements file; a missing file acknowledges nothing. Throws on a bad one. */
export function readAcknowledgements(file: string): Acknowledgement[] {
  if (!fs.existsSync(file)) return [];
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    throw new Error(
      `${file} is not a valid acknowledgements file:\n${parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}\n` +
        'Fix: each entry is { "stack": "prod", "address": "aws_s3_bucket.storage_data", "reason": "why this is intended" }.',
    );
  }
  return parsed.data.acknowledgements;
}

export interface GateResult {
  /** Data-at-risk flags without an acknowledgement: the gate fails on any. */
  readonly blocking: (Flag & { stack: string })[];
  /** Data-at-risk flags that an acknowledgement covers, with its reason. */
  readonly acknowledged: (Flag & { stack: string; reason: string })[];
  /** Acknowledgements that match no flag of this change: remove them once the change is deployed. */
  readonly unused: Acknowledgement[];
}

/** Sorts the data-at-risk flags of every stack into acknowledged and blocking. */
export function gate(flags: (Flag & { stack: string })[], acknowledgements: Acknowledgement[]): GateResult {
  const find = (f: Flag & { stack: string }) => acknowledgements.find((a) => a.stack === f.stack && a.address === f.address);
  const atRisk = flags.filter((f) => f.kind === "data at risk");
  return {
    blocking: atRisk.filter((f) => !find(f)),
    acknowledged: atRisk.filter((f) => find(f)).map((f) => ({ ...f, reason: find(f)!.reason })),
    unused: acknowledgements.filter((a) => !atRisk.some((f) => f.stack === a.stack && f.address === a.address)),
  };
}
