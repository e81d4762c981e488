/**
 * The change review of a whole deployment (npm run review): each stack's base deployed offline,
 * the working tree planned against it, the flags of every stack through the gate, and the
 * summary the command prints.
 */
import { type Acknowledgement, gate, type GateResult, type StackFlag } from "./acknowledgements";
import { changeText, consoleFlagLines, countsLine, fingerprintOf, reviewChange, type Flag, type StackChange } from "./change-report";
import { STACK_RULES, type StackSide } from "./stack-rules";
import { resourceCount, type StackConfiguration } from "./configuration";
import { BLOCKING_KINDS } from "./rules";
import type { ReviewPlan } from "../terraform/plan-json";
import { type DeployedBase, deployBase, planChange, planNewStack } from "./deployed";
import type { TerraformSetup } from "../terraform/harness";

/** One stack's review. */
export interface StackReview {
  readonly change: StackChange;
  /** The plan of the working tree against the deployed base (`terraform show -json`); none for an unchanged stack. */
  readonly plan?: ReviewPlan;
  /** `new`: not in the base; `removed`: not in the working tree; `unchanged`: the same configuration, not planned. */
  readonly status: "changed" | "new" | "removed" | "unchanged";
}

/** The flags of the rules on a stack as a whole (stack-rules.ts): its backend, its regions, whether it is still there. */
export function stackFlags(stack: string, base: StackSide, head: StackSide): Flag[] {
  return STACK_RULES.flatMap((rule) =>
    rule.check(stack, base, head).map(({ address, ...finding }) => ({
      ...finding,
      kind: finding.kind ?? rule.kinds[0],
      rule: rule.id,
      address,
      fingerprint: fingerprintOf(stack, address, rule.id, finding.attribute, finding.from, finding.to),
    })),
  );
}

/**
 * A stack in the base that the working tree no longer has: nothing plans or destroys it (cdktf
 * deploy deploys the stacks it has), so every resource stays, and the stack-left flag says so.
 */
export function leftReview(name: string, configuration: StackConfiguration, flags: Flag[]): StackReview {
  const counts = { create: 0, update: 0, replace: 0, destroy: 0, move: 0, "no-op": resourceCount(configuration) };
  return { change: { stack: name, counts, changes: [], flags, unverifiable: [] }, status: "removed" };
}

/**
 * The review of a stack whose configuration is the same in the base and the working tree
 * (sameDeployment): nothing to plan, so no Terraform runs; every resource is a no-op.
 */
export function unchangedReview(name: string, configuration: StackConfiguration): StackReview {
  const counts = { create: 0, update: 0, replace: 0, destroy: 0, move: 0, "no-op": resourceCount(configuration) };
  return { change: { stack: name, counts, changes: [], flags: [], unverifiable: [] }, status: "unchanged" };
}

/**
 * Read replicas of the databases in `stacks` (`prod-dr: aws_db_instance.replica`), by the
 * identifier of their source: AWS will not move a database with replicas to another VPC.
 */
export function replicasOf(stacks: ReadonlyMap<string, StackConfiguration>): Map<string, string[]> {
  const replicas = new Map<string, string[]>();
  for (const [stack, configuration] of stacks) {
    for (const [name, config] of Object.entries(configuration.resource?.aws_db_instance ?? {})) {
      const source = config.replicate_source_db;
      if (typeof source !== "string") continue;
      // An ARN (cross-region replica) ends in :db:<identifier>; a same-region source is the identifier.
      const identifier = source.split(":db:").at(-1)!;
      replicas.set(identifier, [...(replicas.get(identifier) ?? []), `${stack}: aws_db_instance.${name}`]);
    }
  }
  return replicas;
}

/**
 * Reviews one stack in `dir`: its base deployed offline and the working tree planned against it
 * (a new stack is planned against nothing; a removed one is planned as a destroy).
 */
export function reviewStack(
  setup: TerraformSetup,
  name: string,
  baseJson: StackConfiguration | undefined,
  headJson: StackConfiguration | undefined,
  dir: string,
  replicas: ReadonlyMap<string, readonly string[]> = new Map(),
  binding?: string,
): StackReview {
  if (!baseJson) {
    const plan = planNewStack(setup, headJson!, dir);
    return { change: reviewChange(name, plan, undefined, { headConfiguration: headJson, binding }), plan, status: "new" };
  }
  return reviewAgainst(setup, name, deployBase(setup, name, baseJson, dir), baseJson, headJson, replicas, binding);
}

/** Reviews `headJson` (undefined: the stack is removed) against a base already deployed offline. */
export function reviewAgainst(
  setup: TerraformSetup,
  name: string,
  deployed: DeployedBase,
  baseJson: StackConfiguration,
  headJson: StackConfiguration | undefined,
  replicas: ReadonlyMap<string, readonly string[]> = new Map(),
  binding?: string,
): StackReview {
  const plan = planChange(setup, deployed, baseJson, headJson);
  const context = { baseConfiguration: baseJson, headConfiguration: headJson ?? baseJson, replicas, binding };
  return { change: reviewChange(name, plan, deployed, context), plan, status: headJson ? "changed" : "removed" };
}

/** Every flag of the reviewed stacks through the acknowledgements. */
export function verdictOf(changes: readonly StackChange[], acknowledgements: Acknowledgement[]): GateResult {
  return gate(
    changes.flatMap((c) => c.flags.map((f) => ({ ...f, stack: c.stack }))),
    acknowledgements,
  );
}

/**
 * The verdict of one run of npm run review: the flags of every stack through the
 * acknowledgements of the stacks this run reviewed: planned, found gone from the configuration,
 * or `named` with --stack. An acknowledgement of a stack left out, or unchanged and not named,
 * can neither accept a flag nor be called stale by this run (so a full review does not name every
 * unchanged stack's old acknowledgements each time; naming the stack does).
 */
export function runVerdict(
  reviews: readonly Pick<StackReview, "change" | "status">[],
  acknowledgements: readonly Acknowledgement[],
  named: readonly string[] = [],
): GateResult {
  const reviewed = new Set(reviews.filter((r) => r.status !== "unchanged" || named.includes(r.change.stack)).map((r) => r.change.stack));
  return verdictOf(
    reviews.map((r) => r.change),
    acknowledgements.filter((a) => reviewed.has(a.stack)),
  );
}

/** The acknowledgement entry that would accept `f` (by its fingerprint: one change), for the gate's message. */
function acknowledgementFor(f: StackFlag): string {
  const fields = { stack: f.stack, address: f.address, rule: f.rule, fingerprint: f.fingerprint, reason: "<why this is intended>" };
  return `{ ${Object.entries(fields)
    .map(([k, v]) => `"${k}": ${JSON.stringify(v)}`)
    .join(", ")} }`;
}

/**
 * What `npm run review` prints of one stack as soon as it is reviewed: its counts and flags, and
 * `note` (how long it took, or that it was not planned) at the end of the first line.
 */
export function stackLines(change: StackChange, reportDir: string, note?: string): string[] {
  return [
    `${change.stack}: ${countsLine(change.counts)}; ${change.flags.length} flag(s) -> ${reportDir}/${change.stack}/change.md${note ? ` (${note})` : ""}`,
    ...consoleFlagLines(change.flags).map((line) => `  ${line}`),
    ...change.unverifiable.map((u) => `  not verifiable offline: ${u}`),
  ];
}

/** How the summary's end names the run: its gate, the acknowledgements file, and the base reviewed against. */
export interface VerdictOptions {
  readonly check: boolean;
  readonly acknowledgementsFile: string;
  /** The base as given to --base (the default: where the branch left main). */
  readonly base: string;
}

/**
 * What `npm run review` prints after the plans: each stack's counts and flags, acknowledged and
 * unused acknowledgements, and the gate's verdict (with `check`, the last line says it passed).
 */
export function summaryLines(changes: readonly StackChange[], verdict: GateResult, options: VerdictOptions & { readonly reportDir: string }): string[] {
  return [...changes.flatMap((change) => stackLines(change, options.reportDir)), ...verdictLines(verdict, options)];
}

/** The acknowledgements file npm run review reads unless --acknowledgements names another, relative to the project. */
const DEFAULT_ACKNOWLEDGEMENTS_FILE = "change-acknowledgements.json";

/** The command that removes the acknowledgements of `stacks` that accept no flag of the change from `base`. */
export const pruneCommand = (base: string, stacks: readonly string[], file = DEFAULT_ACKNOWLEDGEMENTS_FILE) =>
  `npm run review -- --base ${base}${[...new Set(stacks)].map((s) => ` --stack ${s}`).join("")}${file === DEFAULT_ACKNOWLEDGEMENTS_FILE ? "" : ` --acknowledgements ${file}`} --prune-acknowledgements`;

/**
 * The summary's end: acknowledged flags, acknowledgements that accept nothing (with when and how
 * to remove them), and the gate's verdict.
 */
export function verdictLines(verdict: GateResult, options: VerdictOptions): string[] {
  const lines: string[] = [];
  for (const a of verdict.acknowledged) lines.push(`acknowledged: ${a.stack} ${a.address} [${a.rule} #${a.fingerprint}]: ${a.reason}`);
  for (const { acknowledgement: a, sameAddress } of verdict.unused) {
    const accepts = a.fingerprint !== undefined ? `#${a.fingerprint}` : changeText(a as Pick<Flag, "attribute" | "from" | "to">);
    lines.push(
      `acknowledgement accepts no flag of this change: ${a.stack} ${a.address} [${a.rule}] ${accepts}` +
        (sameAddress.length > 0 ? `; this change flags ${a.address} for: ${sameAddress.map((f) => `[${f.rule}] ${changeText(f)}`).join("; ")}` : ""),
    );
  }
  if (verdict.unused.length > 0) {
    lines.push(
      `  its change is in the base (${options.base}) or no longer made: once ${options.base} is deployed to ${[...new Set(verdict.unused.map((u) => u.acknowledgement.stack))].join(", ")}, remove it from ${options.acknowledgementsFile} with: ${pruneCommand(
        options.base,
        verdict.unused.map((u) => u.acknowledgement.stack),
        options.acknowledgementsFile,
      )}`,
    );
  }
  if (verdict.blocking.length > 0) {
    const counts = BLOCKING_KINDS.map((kind) => [kind, verdict.blocking.filter((f) => f.kind === kind).length] as const)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind === "data at risk" ? "data-at-risk" : kind} flag(s)`);
    const refused = verdict.blocking.some((f) => f.kind === "refused");
    lines.push(
      "",
      `${counts.join(" and ")} without an acknowledgement. If the loss is intended${refused ? " or the refusal is dealt with before the apply" : ""}, add to ${options.acknowledgementsFile} (the fingerprint binds it to this change; review/<stack>/change.md has each flag in full):`,
      ...verdict.blocking.map((f) => `  ${acknowledgementFor(f)}`),
    );
  } else if (options.check) {
    lines.push("", "check passed: no unacknowledged data-at-risk or refused flag.");
  }
  return lines;
}
