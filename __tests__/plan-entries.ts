/** Hand-made entries of a plan's resource_changes, for the change review's rule and output specs. */
import type { ResourceChange } from "../tools/lib/terraform/plan-json";

/** One managed resource's change, `<type>.<name>`, with `extra` (after_unknown, replace_paths) over the defaults. */
export function planEntry(
  type: string,
  actions: string[],
  before: object | null,
  after: object | null,
  extra: Partial<ResourceChange["change"]> = {},
  name = "example",
): ResourceChange {
  return {
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}
