/**
 * What the change review reads from a synthesized stack (cdk.tf.json) itself: which resources
 * refer to which, which carry `prevent_destroy`, and the copy it plans with `prevent_destroy`
 * lifted. A plan says what changes; the configuration says what depends on what, changed or not.
 */

/** The parts of a synthesized stack that the review reads. */
export interface StackConfiguration {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One place where a resource's configuration refers to another resource. */
export interface Reference {
  /** The referring resource, `aws_s3_bucket_server_side_encryption_configuration.data_encryption`. */
  readonly from: string;
  /** The attribute path in it, `rule.apply_server_side_encryption_by_default.kms_master_key_id`. */
  readonly path: string;
  /** The referred resource, `aws_kms_key.keys_data`. */
  readonly to: string;
  /** The attribute read of it, `arn`. */
  readonly attribute: string;
}

/** `aws_x.name.attribute` references in a synthesized configuration (`${...}` templates). */
export const REFERENCE = /\$\{[^}]*?\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)/g;

/** Every reference from one resource to another in `configuration`, with the attribute path it sits at. */
export function referencesOf(configuration: StackConfiguration | undefined): Reference[] {
  const found: Reference[] = [];
  const visit = (from: string, value: unknown, at: string[]): void => {
    if (typeof value === "string") {
      for (const [, type, name, attribute] of value.matchAll(REFERENCE)) found.push({ from, path: at.join("."), to: `${type}.${name}`, attribute });
    } else if (Array.isArray(value)) {
      for (const item of value) visit(from, item, at);
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) if (key !== "//" && key !== "depends_on") visit(from, item, [...at, key]);
    }
  };
  for (const [type, resources] of Object.entries(configuration?.resource ?? {})) {
    for (const [name, config] of Object.entries(resources)) visit(`${type}.${name}`, config, []);
  }
  return found;
}

/** Addresses of the resources whose `lifecycle` sets `prevent_destroy`. */
export function preventDestroyOf(configuration: StackConfiguration | undefined): Set<string> {
  const found = new Set<string>();
  for (const [type, resources] of Object.entries(configuration?.resource ?? {})) {
    for (const [name, config] of Object.entries(resources)) {
      if ((config.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true) found.add(`${type}.${name}`);
    }
  }
  return found;
}

/**
 * `configuration` without any `prevent_destroy`: Terraform refuses to plan the destroy of such a
 * resource ("Instance cannot be destroyed") and reports nothing else, so the review plans this
 * copy and reports those destroys itself (rule prevent-destroy).
 */
export function withoutPreventDestroy<T extends StackConfiguration>(configuration: T): T {
  if (preventDestroyOf(configuration).size === 0) return configuration;
  const resource = Object.fromEntries(
    Object.entries(configuration.resource ?? {}).map(([type, resources]) => [
      type,
      Object.fromEntries(
        Object.entries(resources).map(([name, config]) => {
          const lifecycle = config.lifecycle as Record<string, unknown> | undefined;
          if (lifecycle?.prevent_destroy === undefined) return [name, config];
          const { prevent_destroy: _lifted, ...rest } = lifecycle;
          return [name, { ...config, lifecycle: rest }];
        }),
      ),
    ]),
  );
  return { ...configuration, resource };
}

/**
 * `configuration` without cdktf's metadata: the `//` entries (the stack's metadata, each
 * resource's construct path and unique id), which reach neither AWS nor the state.
 */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "//")
        .map(([key, v]) => [key, withoutMetadata(v)]),
    );
  return value;
}

/**
 * Whether two synthesized stacks deploy the same thing: equal after cdktf's metadata. Everything
 * else counts, the backend, providers and outputs included, so a change of where the state lives
 * or of a region is never skipped.
 */
export function sameDeployment(base: object, head: object): boolean {
  return JSON.stringify(withoutMetadata(base)) === JSON.stringify(withoutMetadata(head));
}

/** How many managed resources `configuration` declares (the stacks use no count or for_each). */
export function resourceCount(configuration: StackConfiguration): number {
  return Object.values(configuration.resource ?? {}).reduce((sum, resources) => sum + Object.keys(resources).length, 0);
}
