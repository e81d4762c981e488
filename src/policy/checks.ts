import { Annotations, Aspects, type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { NameSource } from "../aws/name-rules";
import { type Finding, stackView } from "./model";
import { APP_RULES, POLICY_RULES } from "./rules";

const SUPPRESSION = "smh:policy-suppression";

/** A rule switched off for one construct and everything below it, with the reason why. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Switches rule `ruleId` off for `scope` and its children. The reason is required: it is what a
 * reviewer reads instead of the finding (and is listed in SECURITY.md).
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  if (!POLICY_RULES.some((r) => r.id === ruleId)) {
    throw new Error(`cannot suppress unknown policy rule "${ruleId}" at ${scope.node.path}`);
  }
  if (reason.trim().length < 20) {
    throw new Error(`suppressing ${ruleId} at ${scope.node.path} needs a written reason (at least 20 characters), got "${reason}"`);
  }
  scope.node.addMetadata(SUPPRESSION, { ruleId, reason } satisfies Suppression);
}

/** The suppressions that apply at a construct: its own and its ancestors'. */
export function suppressionsAt(scope: IConstruct): Suppression[] {
  return scope.node.scopes.flatMap((s) => s.node.metadata.filter((m) => m.type === SUPPRESSION).map((m) => m.data as Suppression));
}

/** The construct a finding is about (the stack when the block has no construct, e.g. a provider). */
function constructOf(stack: TerraformStack, finding: Finding): IConstruct {
  return stack.node.findAll().find((c) => c.node.path === finding.path) ?? stack;
}

/**
 * Set on an app whose synthesized output is checked after synthesis (main.ts): the aspect then
 * leaves the checking to that pass instead of rendering every stack once more for it.
 */
export const POLICY_CHECKED_ON_OUTPUT = "smh:policy-checked-on-output";

/**
 * Every unsuppressed finding of a stack, each with the construct it is about. `json`: its
 * synthesized configuration; `nameSources`: the settings its physical names are built from.
 */
export function policyFindings(
  stack: TerraformStack,
  protectData: boolean,
  json: object = stack.toTerraform(),
  nameSources: readonly NameSource[] = [],
): { finding: Finding; construct: IConstruct }[] {
  const view = stackView(json as Parameters<typeof stackView>[0], protectData, nameSources);
  return POLICY_RULES.flatMap((rule) => rule.check(view))
    .map((finding) => ({ finding, construct: constructOf(stack, finding) }))
    .filter(({ finding, construct }) => !suppressionsAt(construct).some((s) => s.ruleId === finding.ruleId));
}

/** The one-line message of a finding: rule, resource, problem. */
export function describe(finding: Finding): string {
  const rule = POLICY_RULES.find((r) => r.id === finding.ruleId);
  return `[${finding.ruleId}] ${finding.address} ${finding.message}. ${rule?.reason ?? ""}`.trim();
}

/**
 * The project's policy checks as an aspect (as cdk-nag is for AWS CDK): on the stack it is
 * added to, every finding becomes an error annotation on the offending construct, which fails
 * synthesis.
 */
export class PolicyChecks implements IAspect {
  /** Findings by stack: main.ts checks before synthesis, and the aspect reuses that pass. */
  private readonly checked = new WeakMap<TerraformStack, { finding: Finding; construct: IConstruct }[]>();

  constructor(
    private readonly options: {
      readonly protectData: boolean;
      /** The settings the stack's physical names are built from, named in the fix of a refused name. @default none */
      readonly nameSources?: readonly NameSource[];
    },
  ) {}

  get protectData(): boolean {
    return this.options.protectData;
  }

  get nameSources(): readonly NameSource[] {
    return this.options.nameSources ?? [];
  }

  /** The unsuppressed findings of a stack, computed once per stack. */
  findings(stack: TerraformStack): { finding: Finding; construct: IConstruct }[] {
    let found = this.checked.get(stack);
    if (!found) {
      found = policyFindings(stack, this.protectData, undefined, this.nameSources);
      this.checked.set(stack, found);
    }
    return found;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || node.node.tryGetContext(POLICY_CHECKED_ON_OUTPUT)) return;
    for (const { finding, construct } of this.findings(node)) {
      Annotations.of(construct).addError(describe(finding));
    }
  }
}

/**
 * Every finding of every stack of an app, described. `output`: each stack's synthesized
 * configuration when the app has been synthesized already (to a place nothing reads yet);
 * without it, every stack is rendered for the check.
 */
export function policyProblems(app: IConstruct, output?: (stack: TerraformStack) => object): string[] {
  const stacks = app.node.children.filter(TerraformStack.isStack);
  const json = new Map(output ? stacks.map((stack) => [stack, output(stack)]) : []);
  const perStack = stacks.flatMap((stack) =>
    Aspects.of(stack)
      .all.filter((aspect): aspect is PolicyChecks => aspect instanceof PolicyChecks)
      .flatMap((checks) =>
        (output ? policyFindings(stack, checks.protectData, json.get(stack), checks.nameSources) : checks.findings(stack)).map(
          ({ finding }) => `${stack.node.id}: ${describe(finding)}`,
        ),
      ),
  );
  // What AWS keeps once per account is checked across every stack of the app.
  const views = stacks.map((stack) => ({
    stack: stack.node.id,
    view: stackView((json.get(stack) ?? stack.toTerraform()) as Parameters<typeof stackView>[0], false),
  }));
  const whole = APP_RULES.flatMap((rule) => rule.check(views).map((problem) => `[${rule.id}] ${problem}. ${rule.reason}`));
  return [...perStack, ...whole];
}
