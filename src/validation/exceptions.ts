/**
 * Scanner findings that stay, as data (security/exceptions.json): each with the check ID, the
 * kinds of stack and the settings it applies to, the resource addresses (or patterns) it covers,
 * and the reason. From that one file come SECURITY.md's findings table and, at every synthesis, a
 * checkov baseline beside each stack, so that `checkov --baseline` shows only findings that are
 * not documented exceptions.
 *
 * An exception follows what a stack is, never its name: an environment built from the prod
 * preset, whatever it is called, gets exactly the exceptions prod's settings give it, and the
 * standby of any environment gets the standby's.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { environmentSchema, type EnvironmentConfig } from "./";
import { PROJECT_ROOT } from "./deployment";
import { settingLeaves } from "../config/reference";
import { BASELINE_STACK, CI_STACK, drStackName, STATE_STACK } from "../config/naming";
import { baselineResources, type CheckovBaseline, type CheckovFinding, reportedAs } from "../policy/checkov";
import { ACTIONS_WITHOUT_RESOURCES } from "../policy/rules";

/** The exceptions file, relative to the project root. */
export const EXCEPTIONS_FILE = path.join(PROJECT_ROOT, "security", "exceptions.json");
/** Name of the checkov baseline written beside each stack's `cdk.tf.json`. */
export const BASELINE_FILE = "checkov-baseline.json";

/**
 * What a stack is: one of the shared stacks (named as they are), an environment's own stack
 * (any name, any preset), or an environment's DR standby (`<env>-dr`).
 */
export const STACK_KINDS = [STATE_STACK, BASELINE_STACK, CI_STACK, "environment", "standby"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** Kinds whose stacks are built from an environment's settings, which a `when` can test. */
const CONFIGURED_KINDS: readonly StackKind[] = ["environment", "standby"];

const setting = z.string().min(1);
/** One condition on an environment's settings; all of an exception's conditions must hold. */
const conditionSchema = z.union([
  z.strictObject({ setting, equals: z.union([z.boolean(), z.number(), z.string(), z.array(z.string())]) }),
  z.strictObject({ setting, oneOf: z.array(z.union([z.boolean(), z.number(), z.string()])).min(2) }),
  z.strictObject({ setting, isSet: z.boolean() }),
]);

const exceptionSchema = z.strictObject({
  check: z.string().regex(/^CKV2?_AWS_\d+$/, "must be a checkov AWS check id such as CKV_AWS_18"),
  title: z.string().min(1),
  in: z.array(z.enum(STACK_KINDS)).min(1),
  resources: z.array(z.string().regex(/^(data\.)?aws_[a-z0-9_]+\.[a-z0-9_*]+$/, "must be a Terraform address, * allowed in the name")).min(1),
  when: z.array(conditionSchema).min(1).optional(),
  reason: z.string().min(40, "must say why the finding stays (40 characters or more)"),
  /**
   * For a finding predicted on a resource the recorded scan predates: what was added since. The
   * next recorded scan shows the finding (then this goes) or not (then the exception goes).
   */
  awaitsScan: z.string().min(20, "must say what was added since the recorded scan").optional(),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  scanner: z.string().min(1),
  exceptions: z.array(exceptionSchema),
});

export type Condition = z.infer<typeof conditionSchema>;
export type ScannerException = z.infer<typeof exceptionSchema>;
export type ExceptionsFile = z.infer<typeof fileSchema>;

/** Every settings path an environment has, and every object above one (`dr.failoverOrigin`). */
const SETTING_PATHS = new Set(
  settingLeaves(environmentSchema).flatMap(({ path: leaf }) => leaf.split(".").map((_, i, keys) => keys.slice(0, i + 1).join("."))),
);

/** A reason's claim that actions have no resource-level permission, and the parenthesised list of them that must follow. */
const UNSCOPABLE_CLAIM = /no resource-level permissions?(?:\s+for)?(\s*\(([^)]*)\))?/gi;
/** An IAM action as a policy writes it, `service:Action` (a `*` allowed), at the start of a list item. */
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+/;

/**
 * What a reason says has no resource-level permission, checked as far as the project can check it:
 * each action listed after the claim must be one src/policy/rules.ts lists in
 * ACTIONS_WITHOUT_RESOURCES (IAM-1 expects every other action scoped), and a claim must list its
 * actions as IAM writes them, since a description ("task definitions") cannot be checked.
 */
export function unscopableClaimProblems(reason: string, withoutResources: ReadonlySet<string> = ACTIONS_WITHOUT_RESOURCES): string[] {
  return [...reason.matchAll(UNSCOPABLE_CLAIM)].flatMap((claim) => {
    if (claim[2] === undefined)
      return [`says actions have no resource-level permission without listing them. Fix: list them in parentheses after the claim, as service:Action.`];
    return claim[2]
      .split(/,|\band\b/)
      .map((item) => item.trim())
      .filter((item) => item.length > 0)
      .flatMap((item) => {
        const action = IAM_ACTION.exec(item)?.[0];
        if (!action) return [`says "${item}" has no resource-level permission, which no action data can confirm. Fix: name the actions as service:Action.`];
        return withoutResources.has(action)
          ? []
          : [
              `says ${action} has no resource-level permission, but src/policy/rules.ts ACTIONS_WITHOUT_RESOURCES does not list it, so IAM-1 expects it scoped. Fix: correct the reason, or list the action there with AWS's reference.`,
            ];
      });
  });
}

/** Problems the schema cannot see: a `when` on a shared stack, a setting environments do not have, a reason the action data contradicts. */
function meaningProblems(file: ExceptionsFile): string[] {
  return file.exceptions.flatMap((e, i) => [
    ...unscopableClaimProblems(e.reason).map((p) => `exceptions.${i}.reason: ${e.check} ${p}`),
    ...(e.when && e.in.some((kind) => !CONFIGURED_KINDS.includes(kind))
      ? [
          `exceptions.${i}.when: ${e.check} applies to ${e.in.filter((k) => !CONFIGURED_KINDS.includes(k)).join(", ")}, which no environment's settings configure. Fix: split the exception, with "when" only on "environment" and "standby".`,
        ]
      : []),
    ...(e.when ?? [])
      .filter((c) => !SETTING_PATHS.has(c.setting))
      .map((c) => `exceptions.${i}.when: ${e.check} names the setting ${c.setting}, which environments do not have. Fix: use a path of docs/settings.md.`),
  ]);
}

/** Reads and validates the exceptions file; throws naming every problem. */
export function loadExceptions(file = EXCEPTIONS_FILE): ExceptionsFile {
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  const problems = parsed.success ? meaningProblems(parsed.data) : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new Error(`${file} is not a valid exceptions file:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return parsed.data;
}

/** What one synthesized stack is, and the settings it was built from (environments and standbys). */
export interface StackIdentity {
  readonly kind: StackKind;
  readonly config?: EnvironmentConfig;
}

/** What the stack named `stack` is, among the deployment's environments; undefined for a stack of no known kind. */
export function stackIdentity(stack: string, environments: readonly EnvironmentConfig[]): StackIdentity | undefined {
  const shared = STACK_KINDS.find((kind) => kind === stack && !CONFIGURED_KINDS.includes(kind));
  if (shared) return { kind: shared };
  const own = environments.find((c) => c.environment === stack);
  if (own) return { kind: "environment", config: own };
  const stoodBy = environments.find((c) => drStackName(c.environment) === stack);
  return stoodBy ? { kind: "standby", config: stoodBy } : undefined;
}

/** The value of a dotted settings path, e.g. `edge.cloudfront.allowedCountries`. */
function settingAt(config: EnvironmentConfig, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config);
}

/** Whether one condition holds for an environment's settings. */
export function holds(condition: Condition, config: EnvironmentConfig): boolean {
  const value = settingAt(config, condition.setting);
  if ("isSet" in condition) return (value !== undefined) === condition.isSet;
  const same = (expected: unknown) => JSON.stringify(value) === JSON.stringify(expected);
  return "oneOf" in condition ? condition.oneOf.some(same) : same(condition.equals);
}

/** The exceptions that apply to one stack: those of its kind whose conditions all hold for its settings. */
export function exceptionsFor(file: ExceptionsFile, identity: StackIdentity | undefined): ScannerException[] {
  if (!identity) return [];
  return file.exceptions.filter((e) => e.in.includes(identity.kind) && (e.when ?? []).every((c) => identity.config !== undefined && holds(c, identity.config)));
}

/** Every resource and data source address of a synthesized stack (`cdk.tf.json`). */
export function addressesOf(stackJson: { resource?: Record<string, object>; data?: Record<string, object> }): string[] {
  const of = (blocks: Record<string, object> | undefined, prefix: string) =>
    Object.entries(blocks ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
  return [...of(stackJson.resource, ""), ...of(stackJson.data, "data.")];
}

/** A pattern (`*` matches within a name) as a regular expression over whole strings. */
const patternRegex = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[a-z0-9_]*")}$`,
  );

/** The addresses a resource pattern names (`*` matches within a name). */
export function matching(pattern: string, addresses: readonly string[]): string[] {
  const regex = patternRegex(pattern);
  return addresses.filter((a) => regex.test(a));
}

/**
 * The checkov baseline of one stack: for every address its exceptions cover, each `resource`
 * string checkov may report it under (src/policy/checkov.ts), with the exceptions' check ids.
 */
export function checkovBaseline(exceptions: readonly ScannerException[], addresses: readonly string[]): CheckovBaseline {
  const byResource = new Map<string, Set<string>>();
  for (const e of exceptions) {
    for (const resource of e.resources.flatMap((p) => matching(p, addresses)).flatMap((a) => baselineResources(e.check, a))) {
      byResource.set(resource, (byResource.get(resource) ?? new Set()).add(e.check));
    }
  }
  const findings = [...byResource.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([resource, checks]) => ({ resource, check_ids: [...checks].sort() }));
  // checkov matches on resource and check id only; the file is what `checkov -d <stack dir>` reports.
  return { failed_checks: findings.length > 0 ? [{ file: "/cdk.tf.json", findings }] : [] };
}

/** Writes `checkov-baseline.json` beside every synthesized stack under `outdir/stacks`. */
export function writeCheckovBaselines(outdir: string, environments: readonly EnvironmentConfig[], file = loadExceptions()): void {
  const stacksDir = path.join(outdir, "stacks");
  for (const stack of fs.readdirSync(stacksDir)) {
    const stackFile = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(stackFile)) continue;
    const baseline = checkovBaseline(exceptionsFor(file, stackIdentity(stack, environments)), addressesOf(JSON.parse(fs.readFileSync(stackFile, "utf8"))));
    fs.writeFileSync(path.join(stacksDir, stack, BASELINE_FILE), `${JSON.stringify(baseline, null, 2)}\n`);
  }
}

/**
 * The exceptions the baselines of the stacks synthesized under `outdir` accept, as a Markdown
 * table (one row per stack and exception, with the addresses it covers there and its reason): what
 * a pull request's summary shows beside the scan that applied them.
 */
export function acceptedExceptionsTable(outdir: string, environments: readonly EnvironmentConfig[], file = loadExceptions()): string {
  const stacksDir = path.join(outdir, "stacks");
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = fs
    .readdirSync(stacksDir)
    .filter((stack) => fs.existsSync(path.join(stacksDir, stack, "cdk.tf.json")))
    .sort()
    .flatMap((stack) => {
      const addresses = addressesOf(JSON.parse(fs.readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8")));
      return exceptionsFor(file, stackIdentity(stack, environments)).flatMap((e) => {
        const covered = e.resources.flatMap((p) => matching(p, addresses));
        return covered.length > 0 ? [`| ${stack} | ${e.check} | ${cell(e.title)} | ${covered.map((a) => `\`${a}\``).join(", ")} | ${cell(e.reason)} |`] : [];
      });
    });
  if (rows.length === 0) return "No scanner exception applies to the synthesized stacks.";
  return ["| Stack | Check | What it asks | Accepted on | Why it stays |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** A recorded checkov scan (`__tests__/fixtures/checkov-scan-*.json`): its findings by settings and stack. */
export interface RecordedScan {
  readonly scanner: string;
  readonly date: string;
  readonly scans: Readonly<
    Record<
      string,
      Readonly<
        Record<
          string,
          {
            readonly kind: StackKind;
            /** The date of a later scan this stack's findings come from; the recorded scan's date otherwise. */
            readonly scanned?: string;
            readonly error?: string;
            readonly findings?: readonly CheckovFinding[];
          }
        >
      >
    >
  >;
}

/** Whether the recorded scan reported a finding this exception covers, in a stack of its kinds. */
export function seenIn(e: ScannerException, scan: RecordedScan): "yes" | "no" | "not scanned" | "awaiting a scan" {
  const stacks = Object.values(scan.scans)
    .flatMap((byStack) => Object.values(byStack))
    .filter((s) => e.in.includes(s.kind));
  const reported = e.resources.map((pattern) => patternRegex(reportedAs(e.check, pattern)));
  if (stacks.some((s) => s.findings?.some((f) => f.check === e.check && reported.some((r) => r.test(f.resource))))) return "yes";
  if (stacks.every((s) => s.error)) return "not scanned";
  return e.awaitsScan ? "awaiting a scan" : "no";
}

/** A condition as the table says it. */
function conditionText(c: Condition): string {
  if ("isSet" in c) return `\`${c.setting}\` is ${c.isSet ? "set" : "not set"}`;
  if ("oneOf" in c) return `\`${c.setting}\` is one of ${c.oneOf.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}`;
  return `\`${c.setting}\` is \`${JSON.stringify(c.equals)}\``;
}

/** SECURITY.md's findings table, one row per exception, with what the recorded scan saw. */
export function findingsTable(scan: RecordedScan, file: ExceptionsFile = loadExceptions()): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = file.exceptions.map((e) => {
    const when = e.when ? ` while ${e.when.map(conditionText).join(" and ")}` : "";
    return `| ${e.check} | ${cell(e.title)} | ${e.in.join(", ")}: ${e.resources.map((r) => `\`${r}\``).join(", ")}${when} | ${seenIn(e, scan)} | ${cell(e.reason)} |`;
  });
  const later = [
    ...new Set(
      Object.values(scan.scans).flatMap((byStack) =>
        Object.entries(byStack)
          .filter(([, s]) => s.scanned)
          .map(([stack, s]) => `${stack} from ${s.scanned}`),
      ),
    ),
  ];
  const dates = later.length > 0 ? `${scan.date}; ${later.join(", ")}` : scan.date;
  return [
    `Scanner: ${file.scanner}. "Scanned" says whether the recorded scan (${scan.scanner}, ${dates}) reported the finding; "not scanned": checkov could not parse that stack then; "awaiting a scan": the finding is predicted on a resource added since (the reason says which).`,
    "",
    "| Check | What it asks | Where (kind of stack: addresses, settings) | Scanned | Why it stays |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
