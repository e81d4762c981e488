/**
 * Scanner findings that stay, as data (security/exceptions.json): each with the check ID, the
 * stacks and resource addresses (or patterns) it covers, and the reason. From that one file come
 * SECURITY.md's findings table and, at every synthesis, a checkov baseline beside each stack, so
 * that `checkov --baseline` shows only findings that are not documented exceptions.
 */
import { drStackName } from "../naming";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import type { EnvironmentConfig } from "../config";
import { PROJECT_ROOT } from "../config/deployment";

/** The exceptions file, relative to the project root. */
export const EXCEPTIONS_FILE = path.join(PROJECT_ROOT, "security", "exceptions.json");
/** Name of the checkov baseline written beside each stack's `cdk.tf.json`. */
export const BASELINE_FILE = "checkov-baseline.json";

const exceptionSchema = z.strictObject({
  check: z.string().regex(/^CKV2?_AWS_\d+$/, "must be a checkov AWS check id such as CKV_AWS_18"),
  title: z.string().min(1),
  stacks: z.array(z.string().min(1)).min(1),
  resources: z.array(z.string().regex(/^(data\.)?aws_[a-z0-9_]+\.[a-z0-9_*]+$/, "must be a Terraform address, * allowed in the name")).min(1),
  /** Applies to an environment only while this setting has this value. */
  when: z.strictObject({ setting: z.string().min(1), equals: z.unknown() }).optional(),
  reason: z.string().min(40, "must say why the finding stays (40 characters or more)"),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  scanner: z.string().min(1),
  exceptions: z.array(exceptionSchema),
});

export type ScannerException = z.infer<typeof exceptionSchema>;
export type ExceptionsFile = z.infer<typeof fileSchema>;

/** Reads and validates the exceptions file; throws naming every problem. */
export function loadExceptions(file = EXCEPTIONS_FILE): ExceptionsFile {
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`${file} is not a valid exceptions file:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

/** The value of a dotted settings path, e.g. `edge.cloudfront.allowedCountries`. */
function settingAt(config: EnvironmentConfig, setting: string): unknown {
  return setting.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config);
}

/**
 * The exceptions that apply to one stack: those that name it and, for an environment, whose
 * `when` holds for its configuration. A `when` on a shared stack is an error.
 */
export function exceptionsFor(file: ExceptionsFile, stack: string, config?: EnvironmentConfig): ScannerException[] {
  return file.exceptions.filter((e) => {
    if (!e.stacks.includes(stack)) return false;
    if (!e.when) return true;
    if (!config) throw new Error(`exception ${e.check} for stack "${stack}" has a "when", but ${stack} is not an environment`);
    if (settingAt(config, e.when.setting) === undefined) {
      throw new Error(`exception ${e.check}: "when" names ${e.when.setting}, which environment "${stack}" does not have`);
    }
    return JSON.stringify(settingAt(config, e.when.setting)) === JSON.stringify(e.when.equals);
  });
}

/** Every resource and data source address of a synthesized stack (`cdk.tf.json`). */
export function addressesOf(stackJson: { resource?: Record<string, object>; data?: Record<string, object> }): string[] {
  const of = (blocks: Record<string, object> | undefined, prefix: string) =>
    Object.entries(blocks ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
  return [...of(stackJson.resource, ""), ...of(stackJson.data, "data.")];
}

/** The addresses a resource pattern names (`*` matches within a name). */
export function matching(pattern: string, addresses: readonly string[]): string[] {
  const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[a-z0-9_]*")}$`);
  return addresses.filter((a) => regex.test(a));
}

/** checkov's baseline format (checkov/common/output/baseline.py): findings by resource, per file. */
export interface CheckovBaseline {
  failed_checks: { file: string; findings: { resource: string; check_ids: string[] }[] }[];
}

/** The checkov baseline of one stack: every address its exceptions cover, with their check ids. */
export function checkovBaseline(exceptions: readonly ScannerException[], addresses: readonly string[]): CheckovBaseline {
  const byResource = new Map<string, Set<string>>();
  for (const e of exceptions) {
    for (const address of e.resources.flatMap((p) => matching(p, addresses))) {
      byResource.set(address, (byResource.get(address) ?? new Set()).add(e.check));
    }
  }
  const findings = [...byResource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, checks]) => ({ resource, check_ids: [...checks].sort() }));
  // checkov matches on resource and check id; the file is what `checkov -d <stack dir>` reports.
  return { failed_checks: findings.length > 0 ? [{ file: "/cdk.tf.json", findings }] : [] };
}

/** Writes `checkov-baseline.json` beside every synthesized stack under `outdir/stacks`. */
export function writeCheckovBaselines(outdir: string, environments: readonly EnvironmentConfig[], file = loadExceptions()): void {
  const stacksDir = path.join(outdir, "stacks");
  for (const stack of fs.readdirSync(stacksDir)) {
    const stackFile = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(stackFile)) continue;
    // An environment's DR standby (<env>-dr) is configured by the environment's settings.
    const config = environments.find((c) => c.environment === stack || drStackName(c.environment) === stack);
    const baseline = checkovBaseline(exceptionsFor(file, stack, config), addressesOf(JSON.parse(fs.readFileSync(stackFile, "utf8"))));
    fs.writeFileSync(path.join(stacksDir, stack, BASELINE_FILE), `${JSON.stringify(baseline, null, 2)}\n`);
  }
}

/** SECURITY.md's findings table, one row per exception. */
export function findingsTable(file: ExceptionsFile = loadExceptions()): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = file.exceptions.map((e) => {
    const when = e.when ? ` while \`${e.when.setting}\` is \`${JSON.stringify(e.when.equals)}\`` : "";
    return `| ${e.check} | ${cell(e.title)} | ${e.stacks.join(", ")}: ${e.resources.map((r) => `\`${r}\``).join(", ")}${when} | ${cell(e.reason)} |`;
  });
  return [`Scanner: ${file.scanner}.`, "", "| Check | What it asks | Where (stacks: addresses) | Why it stays |", "|---|---|---|---|", ...rows].join("\n");
}
