/**
 * What a change does to a deployed stack, read from the plan of the change against the deployed
 * base (deployed.ts): counts by action, every change with the attributes that cause it, and
 * flags for ops: refused, data at risk, exposure, availability.
 */
import { createHash } from "crypto";
import { preventDestroyOf, referencesOf, type StackConfiguration } from "./configuration";
import type { ResourceChange, ReviewPlan } from "../terraform/plan-json";
import type { DeployedBase } from "./deployed";
import { type Action, actionOf, type Finding, type FlagKind, KIND_ORDER, pathText, type PlanView, RULES, type Subject } from "./rules";
import { placeholderOf } from "./state";

export type { Action, FlagKind } from "./rules";

export interface Change {
  readonly address: string;
  /** The address before a `moved` block renamed it. */
  readonly previousAddress?: string;
  readonly type: string;
  readonly action: Action;
  /** Top-level attributes whose value changes (or becomes unknown until apply). */
  readonly attributes: string[];
  /** For a replace: the attribute paths that force it, as the provider reports them. */
  readonly replacedBy: string[];
  /**
   * Attributes Terraform shows as known only after apply because it defers a data source read
   * (a policy document) whose inputs are unchanged: the same value, re-read at apply.
   */
  readonly rereadAtApply: string[];
}

/** A flag raised by one rule (rules.ts) on one resource. */
export interface Flag extends Finding {
  readonly kind: FlagKind;
  /** The id of the rule that raised it. */
  readonly rule: string;
  readonly address: string;
  /**
   * Names this one change: a hash of the stack, address, rule, attribute and the values before
   * and after. An acknowledgement may give it instead of the values.
   */
  readonly fingerprint: string;
  /**
   * The base commit a whole-resource flag is bound to (ReviewContext.binding): only an
   * acknowledgement by its fingerprint accepts it, not one by attribute, from and to.
   */
  readonly boundTo?: string;
}

export interface StackChange {
  readonly stack: string;
  readonly counts: Record<Action, number>;
  /** Every change except no-ops. */
  readonly changes: Change[];
  readonly flags: Flag[];
  /** Addresses whose values cannot round-trip offline (their changes are left out), and why. */
  readonly unverifiable: string[];
}

/** What the review knows besides the plan: the two configurations and the other stacks. */
export interface ReviewContext {
  /** The configuration deployed (the base): what depends on a resource, changed or not. */
  readonly baseConfiguration?: StackConfiguration;
  /** The configuration planned (the working tree), prevent_destroy marks included. */
  readonly headConfiguration?: StackConfiguration;
  /** Read replicas of a database in any stack of the review, by the source's identifier. */
  readonly replicas?: ReadonlyMap<string, readonly string[]>;
  /**
   * The base commit the change is reviewed against. A whole-resource flag (a destroy, a replace, a
   * key deletion: `present -> destroyed` reads the same whatever caused it) is bound to it, so an
   * acknowledgement of it cannot accept a later destroy of the same address for another reason.
   */
  readonly binding?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedAttributes(rc: ResourceChange): string[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = rc.change.after_unknown ?? {};
  // A replacement makes every computed value unknown; only known differences explain it.
  const replacing = rc.change.actions.includes("delete") && rc.change.actions.includes("create");
  return [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)])]
    .filter((k) => (unknown[k] === true ? !replacing : !same(canonical(before[k]), canonical(after[k]))))
    .sort();
}

/** The changes of a plan, with the counts of each action. */
export function changesOf(plan: ReviewPlan, deferredOf = new Map<ResourceChange, string[]>()): { counts: Record<Action, number>; changes: Change[] } {
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, destroy: 0, move: 0, "no-op": 0 };
  const changes: Change[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc);
    counts[action] += 1;
    if (rc.previous_address && action !== "move") counts.move += 1;
    if (action === "no-op") continue;
    changes.push({
      address: rc.address,
      ...(rc.previous_address ? { previousAddress: rc.previous_address } : {}),
      type: rc.type,
      action,
      attributes: action === "create" || action === "destroy" || action === "move" ? [] : changedAttributes(rc),
      replacedBy: (rc.change.replace_paths ?? []).map(pathText),
      rereadAtApply: deferredOf.get(rc) ?? [],
    });
  }
  return { counts, changes };
}

/**
 * Drops nulls, empty strings and empty lists (a planned read writes `null` where the read value
 * has `[]` or `""`) and
 * sorts lists (a read returns set blocks, such as a statement's conditions, in hash order).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length === 0 ? undefined : value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, canonical(v)] as const)
      .filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries);
  }
  // An unset optional string reads back as "" (a statement's sid).
  return value === null || value === "" ? undefined : value;
}

/**
 * A data source's inputs: what a read is computed from, not its outputs. A policy document's
 * `version` left unset reads as its default, "2012-10-17".
 */
function inputsOf(values: Record<string, unknown> | null): string {
  const { id: _id, json: _json, minified_json: _minified, ...inputs } = values ?? {};
  if (inputs.version === "2012-10-17") delete inputs.version;
  return JSON.stringify(canonical(inputs));
}
const hasUnknown = (marker: unknown): boolean =>
  marker === true || (Array.isArray(marker) ? marker.some(hasUnknown) : !!marker && typeof marker === "object" && Object.values(marker).some(hasUnknown));

/**
 * Attributes (`address.attribute`) that the plan shows as known only after apply because
 * Terraform defers reading a data source that depends on a resource with changes pending, while
 * every input of that data source (a policy document's statements) is what the base read. The
 * provider computes the same value from the same inputs, so these are not changes of substance.
 */
function deferredButSame(plan: ReviewPlan, base: ReviewPlan | undefined): Set<string> {
  // Data sources read while planning the base are in its prior state, with their values.
  const baseReads = new Map((base?.prior_state?.values?.root_module?.resources ?? []).filter((r) => r.mode === "data").map((r) => [r.address, r.values]));
  const same = new Set(
    (plan.resource_changes ?? [])
      .filter((rc) => rc.mode === "data" && rc.change.actions.join() === "read")
      .filter((rc) => {
        const before = baseReads.get(rc.address);
        const { id: _i, json: _j, minified_json: _m, ...unknownInputs } = rc.change.after_unknown ?? {};
        return before !== undefined && !hasUnknown(unknownInputs) && inputsOf(before) === inputsOf(rc.change.after);
      })
      .map((rc) => rc.address),
  );
  const result = new Set<string>();
  const configuration = (
    plan as { configuration?: { root_module?: { resources?: { address: string; expressions?: Record<string, { references?: string[] }> }[] } } }
  ).configuration;
  for (const resource of configuration?.root_module?.resources ?? []) {
    for (const [attribute, expression] of Object.entries(resource.expressions ?? {})) {
      const refs = expression.references ?? [];
      const dataRefs = refs.filter((r) => r.startsWith("data.")).map((r) => r.split(".").slice(0, 3).join("."));
      const otherRefs = refs.filter((r) => !r.startsWith("data."));
      if (dataRefs.length > 0 && otherRefs.length === 0 && dataRefs.every((d) => same.has(d))) result.add(`${resource.address}.${attribute}`);
    }
  }
  return result;
}

/** Reads the plan of a change against its deployed base (undefined for a new stack). */
export function reviewChange(stack: string, plan: ReviewPlan, base?: Pick<DeployedBase, "residual" | "plan">, context: ReviewContext = {}): StackChange {
  const residual = base?.residual ?? [];
  const unverifiable = new Map(residual.map((r) => [r.address, r]));
  const deferred = deferredButSame(plan, base?.plan);
  const kept: ResourceChange[] = [];
  const deferredOf = new Map<ResourceChange, string[]>();
  for (const rc of plan.resource_changes ?? []) {
    const noise = unverifiable.get(rc.address);
    // A change that equals what the unchanged base already planned is an offline artefact.
    if (noise && same(noise.change.actions, rc.change.actions) && same(noise.change.after, rc.change.after)) continue;
    const { change, reread } = withoutDeferred(rc, deferred);
    kept.push(change);
    if (reread.length > 0) deferredOf.set(change, reread);
  }
  const filtered: ReviewPlan = { ...plan, resource_changes: kept };
  const { counts, changes } = changesOf(filtered, deferredOf);
  const flags = flagsOf(stack, plan, kept, context);
  return {
    stack,
    counts,
    changes,
    flags,
    unverifiable: residual.map(
      (r) => `${r.address}: the unchanged base still plans ${r.change.actions.join("/")} (${changedAttributes(r).join(", ") || "no visible attribute"})`,
    ),
  };
}

/** Every rule on every managed resource of the plan, flags in the order of RULES within a resource. */
function flagsOf(stack: string, plan: ReviewPlan, kept: ResourceChange[], context: ReviewContext): Flag[] {
  const managed = kept.filter((rc) => rc.mode === "managed");
  const view: PlanView = {
    changes: new Map(managed.map((rc) => [rc.address, rc])),
    baseReferences: referencesOf(context.baseConfiguration),
    headReferences: referencesOf(context.headConfiguration),
    preventDestroy: preventDestroyOf(context.headConfiguration),
    replicas: context.replicas ?? new Map(),
  };
  const owners = placeholderOwners(plan);
  const plain = (value: unknown): unknown => (typeof value === "string" ? withoutPlaceholders(value, owners) : value === undefined ? null : value);
  // A detail said once per stack (sayOnce), by the address that said it.
  const said = new Map<string, string>();
  return managed.flatMap((rc) => {
    const subject: Subject = {
      rc,
      address: rc.address,
      type: rc.type,
      action: actionOf(rc),
      before: rc.change.before ?? {},
      after: rc.change.after ?? {},
      unknown: rc.change.after_unknown ?? {},
      replacedBy: (rc.change.replace_paths ?? []).map(pathText),
      plan: view,
    };
    return RULES.flatMap((rule) =>
      rule.check(subject).map((finding): Flag => {
        const [from, to] = [plainValue(finding.from, plain), plainValue(finding.to, plain)];
        const boundTo = context.binding !== undefined && from === "present" ? context.binding : undefined;
        return {
          kind: finding.kind ?? rule.kinds[0],
          rule: rule.id,
          address: rc.address,
          attribute: finding.attribute,
          from,
          to,
          detail: once(finding, rc.address, said) ?? withoutPlaceholders(finding.detail, owners),
          fingerprint: fingerprintOf(stack, rc.address, rule.id, finding.attribute, from, to, boundTo),
          ...(boundTo ? { boundTo } : {}),
          ...(finding.sayOnce ? { sayOnce: true } : {}),
        };
      }),
    );
  });
}

/**
 * The short detail of a finding whose words are said once per stack (Finding.sayOnce) and were
 * said already, for another resource: it refers to the first; undefined where the full detail stands.
 */
function once(finding: Finding, address: string, said: Map<string, string>): string | undefined {
  if (!finding.sayOnce) return undefined;
  const first = said.get(finding.detail);
  if (first === undefined) said.set(finding.detail, address);
  return first !== undefined && first !== address ? `as for ${first} above` : undefined;
}

/** A flag as printed: the flags of one change (one fingerprint) are one line, with each kind they are of. */
export type PrintedFlag = Flag & { readonly kinds: readonly FlagKind[] };

/** The stack's flags as printed, in `order` of their first kind: one per fingerprint, its detail once. */
export function printedFlags(flags: readonly Flag[], order?: readonly FlagKind[]): PrintedFlag[] {
  const kindsOf = new Map<string, FlagKind[]>();
  for (const f of flags) kindsOf.set(f.fingerprint, [...new Set([...(kindsOf.get(f.fingerprint) ?? []), f.kind])]);
  const sorted = order ? order.flatMap((kind) => flags.filter((f) => f.kind === kind)) : flags;
  const seen = new Set<string>();
  return sorted.flatMap((f) => {
    if (seen.has(f.fingerprint)) return [];
    seen.add(f.fingerprint);
    return [{ ...f, kinds: kindsOf.get(f.fingerprint)! }];
  });
}

/** A flag's value with every placeholder string in it named by what it stands for. */
function plainValue(value: unknown, plain: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => plainValue(v, plain));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v, plain)]));
  return plain(value);
}

/** The short hash that names one flag of one change (12 hex digits); `boundTo`, the base commit of a bound flag. */
export function fingerprintOf(stack: string, address: string, rule: string, attribute: string, from: unknown, to: unknown, boundTo?: string): string {
  return createHash("sha256")
    .update(JSON.stringify([stack, address, rule, attribute, from ?? null, to ?? null, ...(boundTo ? [boundTo] : [])]))
    .digest("hex")
    .slice(0, 12);
}

/** The offline state's placeholders (state.ts): `arn:aws:review:...` and `review-...` values. */
const PLACEHOLDER = /arn:aws:review:[a-z0-9-]+:\d{12}:[a-z0-9_]+\/[A-Za-z0-9-]+|(?<![A-Za-z0-9-])review-[A-Za-z0-9-]+/g;

/**
 * Which resource attribute each placeholder of the deployed state stands for
 * (`review-database-subnets-id` -> `aws_db_subnet_group.database_subnets.id`): the resource that
 * holds it as its own (a service holds its task definition's ARN too), from the state the plan
 * was made against.
 */
function placeholderOwners(plan: ReviewPlan): Map<string, string> {
  const owners = new Map<string, string>();
  for (const resource of plan.prior_state?.values?.root_module?.resources ?? []) {
    if (resource.mode !== "managed" || !resource.type || !resource.name) continue;
    for (const [attribute, value] of Object.entries(resource.values ?? {})) {
      if (typeof value === "string" && value === placeholderOf(resource.type, resource.name, attribute)) owners.set(value, `${resource.address}.${attribute}`);
    }
  }
  return owners;
}

/**
 * `text` with each placeholder replaced by the attribute it stands for, or by words when it
 * stands for none: a made-up id or ARN is never shown as a fact.
 */
function withoutPlaceholders(text: string, owners: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (placeholder) => owners.get(placeholder) ?? "(a value AWS assigns)");
}

/**
 * The change with the deferred-but-same attributes given their base value, so that neither the
 * change list nor the flags count them; the update itself stays (Terraform does plan it).
 */
function withoutDeferred(rc: ResourceChange, deferred: Set<string>): { change: ResourceChange; reread: string[] } {
  const keys = Object.keys(rc.change.after_unknown ?? {}).filter((k) => rc.change.after_unknown[k] === true && deferred.has(`${rc.address}.${k}`));
  if (keys.length === 0 || !rc.change.before) return { change: rc, reread: [] };
  const after = { ...rc.change.after };
  const afterUnknown = { ...rc.change.after_unknown };
  for (const k of keys) {
    after[k] = rc.change.before[k];
    delete afterUnknown[k];
  }
  return { change: { ...rc, change: { ...rc.change, after, after_unknown: afterUnknown } }, reread: keys };
}

// ---------------------------------------------------------------- report

const ACTION_ORDER: Action[] = ["create", "update", "replace", "destroy", "move", "no-op"];

/** One line of counts: `create 0, update 1, replace 0, destroy 0, move 0, no-op 95`. */
export const countsLine = (c: Record<Action, number>) => ACTION_ORDER.map((a) => `${a} ${c[a]}`).join(", ");

const value = (v: unknown) => JSON.stringify(v ?? null);

/** `attribute: from -> to`, as flags and acknowledgements show the change they are about. */
export const changeText = (f: Pick<Flag, "attribute" | "from" | "to">) => `${f.attribute}: ${value(f.from)} -> ${value(f.to)}`;

/** One line of a flag: kind, address, the change, rule and fingerprint, and what it means. */
export const flagLine = (f: PrintedFlag) => `${f.kinds.join(", ")}: ${f.address} (${changeText(f)}) [${f.rule} #${f.fingerprint}]: ${f.detail}`;

/** The longest change (`attribute: before -> after`) the console prints beside a flag's address. */
const CHANGE_LENGTH = 80;

/** The longest short summary the console prints of a flag's detail. */
const SUMMARY_LENGTH = 160;

/** A parenthesized aside long enough to be a citation or a cause, which a summary leaves out. */
const ASIDE = / \([^()]{30,}\)/g;

/**
 * The first thing a flag's detail says, short enough for one console line: its first sentence
 * without long asides, cut back to the last clause that ends before SUMMARY_LENGTH (the detail's
 * clauses end in ": ").
 */
export function summaryOf(detail: string): string {
  let plain = detail;
  for (let shorter = plain.replace(ASIDE, ""); shorter !== plain; shorter = plain.replace(ASIDE, "")) plain = shorter;
  // A sentence ends at ". " or "; ", not after an abbreviation ("e.g. ", "i.e. ").
  const sentence = plain.split(/(?<!\be\.g\.|\bi\.e\.)(?<=[.;]) |; /)[0].replace(/[.;]$/, "");
  if (sentence.length <= SUMMARY_LENGTH) return sentence;
  const clause = sentence.slice(0, SUMMARY_LENGTH).lastIndexOf(": ");
  return clause > 0 ? sentence.slice(0, clause) : `${sentence.slice(0, SUMMARY_LENGTH - 3)}...`;
}

/** The fix a detail gives (`Fix: ...`), its first clause; undefined when it gives none. */
export function fixOf(detail: string): string | undefined {
  const fix = /\bFix: (.*)$/.exec(detail)?.[1];
  return fix === undefined ? undefined : summaryOf(fix.replace(/ \(.*$/, ""));
}

/**
 * What the console prints of a stack's flags: one line per flag (one fingerprint), with its kinds,
 * address, rule and fingerprint and a short summary, and the fix of a refused one; flags whose
 * detail says nothing of their resource (Finding.sayOnce, such as a policy only known after
 * apply) are one line per rule and kind, naming the resources. The full details are change.md's.
 */
export function consoleFlagLines(flags: readonly Flag[]): string[] {
  // One entry per flag, or per rule and kinds of the flags that say nothing of their resource.
  const entries: PrintedFlag[][] = [];
  const groups = new Map<string, PrintedFlag[]>();
  for (const f of printedFlags(flags, KIND_ORDER)) {
    const key = `${f.kinds.join()}|${f.rule}`;
    const group = f.sayOnce ? groups.get(key) : undefined;
    if (group) group.push(f);
    else {
      entries.push([f]);
      if (f.sayOnce) groups.set(key, entries[entries.length - 1]);
    }
  }
  return entries.map((group) => {
    const [f] = group;
    if (f.sayOnce) {
      const said = group.find((g) => !g.detail.startsWith("as for "))?.detail ?? f.detail;
      return `${f.kinds.join(", ")}: ${group.length} resource(s) [${f.rule}]: ${summaryOf(said)} (${group.map((g) => g.address).join(", ")})`;
    }
    const fix = f.kinds.includes("refused") ? fixOf(f.detail) : undefined;
    // The change itself (what forces a replace, the value before and after) where it is short.
    const summary = summaryOf(f.detail);
    // A replace or destroy says what forces it; a whole resource's change is its summary already.
    const what = f.from === "present" ? `forced by ${f.attribute}` : changeText(f);
    const change = f.attribute !== "(resource)" && what.length <= CHANGE_LENGTH && !summary.includes(f.attribute) ? ` (${what})` : "";
    return `${f.kinds.join(", ")}: ${f.address}${change} [${f.rule} #${f.fingerprint}]: ${summary}${fix ? `. Fix: ${fix}` : ""}`;
  });
}

/** The Markdown report of one stack (review/<stack>/change.md). */
export function renderStackChange(
  change: StackChange,
  heading = `Change review of stack \`${change.stack}\``,
  acknowledged: ReadonlyMap<string, string> = new Map(),
): string {
  const lines = [`# ${heading}`, "", `Resources: ${countsLine(change.counts)}.`, ""];
  lines.push("## Flags", "");
  if (change.flags.length === 0) lines.push("(none)");
  for (const f of printedFlags(change.flags, KIND_ORDER)) {
    const reason = acknowledged.get(f.fingerprint);
    lines.push(
      `- **${f.kinds.join(", ")}**: \`${f.address}\` (\`${changeText(f)}\`) [${f.rule} #${f.fingerprint}]: ${f.detail}` +
        (reason === undefined ? "" : ` **Acknowledged** (change-acknowledgements.json): ${reason}`),
    );
  }
  lines.push("", "## Changes", "");
  if (change.changes.length === 0) lines.push("(none)");
  else {
    lines.push("| Action | Address | Caused by |", "|---|---|---|");
    for (const c of change.changes) {
      const cause =
        c.action === "replace"
          ? `forces replacement: ${c.replacedBy.join(", ") || "?"}; changes: ${c.attributes.join(", ")}`
          : c.action === "move"
            ? `moved from \`${c.previousAddress}\``
            : [
                ...(c.previousAddress ? [`moved from \`${c.previousAddress}\``] : []),
                ...(c.attributes.length > 0 ? [c.attributes.join(", ")] : []),
                ...(c.rereadAtApply.length > 0 ? [`${c.rereadAtApply.join(", ")} re-read at apply from unchanged inputs`] : []),
              ].join("; ");
      lines.push(`| ${c.action} | \`${c.address}\` | ${cause} |`);
    }
  }
  if (change.unverifiable.length > 0) {
    lines.push("", "## Not verifiable offline", "", ...change.unverifiable.map((u) => `- ${u}`));
  }
  return `${lines.join("\n")}\n`;
}
