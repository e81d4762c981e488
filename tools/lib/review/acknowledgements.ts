/**
 * Reasoned acknowledgements of data-at-risk and refused flags: the change review's gate (`--check`) passes a
 * flag only when this file accepts that one change of it: its stack, address and rule, and either
 * the attribute with its value before and after, or the fingerprint the report prints beside the
 * flag. An acknowledgement written for one change never covers another change of the same address.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { ConfigurationError } from "../../../src/config/errors";
import { parseJson } from "../../../src/config/settings";
import type { Flag } from "./change-report";
import { BLOCKING_KINDS, RULES } from "./rules";
import { STACK_RULES } from "./stack-rules";

const RULE_IDS = [...RULES, ...STACK_RULES].map((r) => r.id);

const acknowledgementSchema = z
  .strictObject({
    /** Stack the flag is raised in, e.g. `prod`. */
    stack: z.string().min(1),
    /** Terraform address the flag names, e.g. `aws_db_instance.database`. */
    address: z.string().min(1),
    /** The rule that raised the flag, e.g. `data-replaced`. */
    rule: z.string().refine((id) => RULE_IDS.includes(id), { message: `must be a rule of the change review: ${RULE_IDS.join(", ")}` }),
    /** The attribute the flag names, with `from` and `to`: the one change accepted. */
    attribute: z.string().min(1).optional(),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
    /** Or the fingerprint the report prints beside the flag. */
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{12}$/, "must be the 12 hex digits the report prints beside the flag")
      .optional(),
    /** Why losing this data is intended or safe: who decided, and what was done first. */
    reason: z.string().trim().min(20, "must say why, in a sentence (20 characters or more)"),
  })
  .refine((a) => a.fingerprint !== undefined || (a.attribute !== undefined && "from" in a && "to" in a), {
    message: "must say which change it accepts: a fingerprint, or attribute with from and to",
  });

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  acknowledgements: z.array(acknowledgementSchema),
});

export type Acknowledgement = z.infer<typeof acknowledgementSchema>;

/** An example entry, for the messages that tell how to write one. */
export const ACKNOWLEDGEMENT_EXAMPLE =
  '{ "stack": "prod", "address": "aws_db_instance.database", "rule": "backup-retention-shortened", "attribute": "backup_retention_period", "from": 7, "to": 1, "reason": "why this is intended" }';

/** Reads the acknowledgements file; a missing file acknowledges nothing. Throws on a bad one. */
export function readAcknowledgements(file: string): Acknowledgement[] {
  if (!fs.existsSync(file)) return [];
  let json: unknown;
  try {
    // A syntax error names the file, its line and column, not only JSON.parse's reason.
    json = parseJson(fs.readFileSync(file, "utf8"), path.relative(process.cwd(), file) || file);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new Error(error.problems.join("\n"));
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `${file} is not a valid acknowledgements file:\n${parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}\n` +
        `Fix: each entry is ${ACKNOWLEDGEMENT_EXAMPLE}, or names the flag's "fingerprint" instead of attribute, from and to.`,
    );
  }
  return parsed.data.acknowledgements;
}

/** JSON with every object's keys sorted: the same entry whatever order its keys were read in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/**
 * Removes `stale` from the acknowledgements file (each entry as read, compared whole), keeping
 * everything else of the file as it is; returns what it removed. The file is rewritten in the
 * form Prettier gives JSON (two spaces, a final newline).
 */
export function pruneAcknowledgements(file: string, stale: readonly Acknowledgement[]): Acknowledgement[] {
  if (stale.length === 0 || !fs.existsSync(file)) return [];
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const isStale = (entry: unknown) => stale.some((a) => canonical(a) === canonical(entry));
  const removed = (json.acknowledgements as Acknowledgement[]).filter(isStale);
  json.acknowledgements = (json.acknowledgements as unknown[]).filter((entry) => !isStale(entry));
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return removed;
}

export type StackFlag = Flag & { readonly stack: string };

/** Whether `a` accepts exactly the change that `f` flags. */
export function accepts(a: Acknowledgement, f: StackFlag): boolean {
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  return (
    a.stack === f.stack &&
    a.address === f.address &&
    a.rule === f.rule &&
    // a bound flag (a whole-resource destroy or replace) is accepted by its fingerprint only
    (f.boundTo === undefined || a.fingerprint !== undefined) &&
    (a.fingerprint === undefined || a.fingerprint === f.fingerprint) &&
    (a.attribute === undefined || (a.attribute === f.attribute && same(a.from, f.from) && same(a.to, f.to)))
  );
}

export interface GateResult {
  /** Data-at-risk and refused flags without an acknowledgement: the gate fails on any. */
  readonly blocking: StackFlag[];
  /** Flags that an acknowledgement accepts, with its reason. */
  readonly acknowledged: (StackFlag & { reason: string })[];
  /**
   * Acknowledgements that accept no flag of this change: stale once their change is deployed, or
   * written for another change; `sameAddress` lists this change's flags of their address.
   */
  readonly unused: { readonly acknowledgement: Acknowledgement; readonly sameAddress: StackFlag[] }[];
}

/** Sorts the flags of every stack into acknowledged and blocking, and finds unused acknowledgements. */
export function gate(flags: StackFlag[], acknowledgements: Acknowledgement[]): GateResult {
  const find = (f: StackFlag) => acknowledgements.find((a) => accepts(a, f));
  return {
    blocking: flags.filter((f) => BLOCKING_KINDS.includes(f.kind) && !find(f)),
    acknowledged: flags.filter((f) => find(f)).map((f) => ({ ...f, reason: find(f)!.reason })),
    unused: acknowledgements
      .filter((a) => !flags.some((f) => accepts(a, f)))
      .map((acknowledgement) => ({
        acknowledgement,
        sameAddress: flags.filter((f) => f.stack === acknowledgement.stack && f.address === acknowledgement.address),
      })),
  };
}
