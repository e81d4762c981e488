import type { NameSource } from "../aws/name-rules";

/**
 * The view of a synthesized stack that policy rules read: resources and data sources with their
 * Terraform JSON (tokens resolved to `${...}` references) and the construct path they came from.
 */

export interface Block {
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Terraform name, e.g. `storage_models`. */
  readonly name: string;
  /** `aws_s3_bucket.storage_models` or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  /** Construct path, e.g. `prod/storage/models/Resource`. */
  readonly path: string;
  /** The block's arguments as synthesized (snake_case). */
  readonly config: Record<string, any>;
}

export interface StackView {
  readonly resources: readonly Block[];
  readonly data: readonly Block[];
  /** Every `provider.aws` block. */
  readonly providers: readonly Record<string, any>[];
  /** Whether stateful resources must be protected (production). */
  readonly protectData: boolean;
  /** The settings the stack's physical names are built from, for the fix of a refused name. */
  readonly nameSources: readonly NameSource[];
}

/** A rule broken by one block. */
export interface Finding {
  readonly ruleId: string;
  readonly address: string;
  /** Construct path of the offending block; suppressions are looked up from here. */
  readonly path: string;
  readonly message: string;
}

/** One policy: an id, why it exists, and a pure check over a stack. */
export interface PolicyRule {
  readonly id: string;
  readonly reason: string;
  readonly check: (stack: StackView) => Finding[];
}

function blocks(section: Record<string, Record<string, any>> | undefined, prefix: string): Block[] {
  return Object.entries(section ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]) => ({
      type,
      name,
      address: `${prefix}${type}.${name}`,
      path: config?.["//"]?.metadata?.path ?? "",
      config,
    })),
  );
}

/** One stack of the app, by name, for rules over every stack at once. */
export interface NamedStackView {
  readonly stack: string;
  readonly view: StackView;
}

/** A policy over the whole app (what AWS keeps once per account), with an id and a reason. */
export interface AppRule {
  readonly id: string;
  readonly reason: string;
  /** Each problem as a sentence that names the stacks and the fix. */
  readonly check: (stacks: readonly NamedStackView[]) => string[];
}

/** Builds the view from a stack's Terraform JSON (`stack.toTerraform()`). */
export function stackView(json: Record<string, any>, protectData: boolean, nameSources: readonly NameSource[] = []): StackView {
  return {
    resources: blocks(json.resource, ""),
    data: blocks(json.data, "data."),
    providers: json.provider?.aws ?? [],
    protectData,
    nameSources,
  };
}

/** `${aws_s3_bucket.storage_models.id}` -> true when `value` references `address`. */
export function references(value: unknown, address: string): boolean {
  return typeof value === "string" && value.includes(`\${${address}.`);
}

/** A finding for `block`. */
export function finding(rule: Pick<PolicyRule, "id">, block: Block, message: string): Finding {
  return { ruleId: rule.id, address: block.address, path: block.path, message };
}
