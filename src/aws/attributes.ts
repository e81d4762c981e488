/** The values at `attribute` of a resource's Terraform JSON; `block.attribute` walks nested blocks (every element of a list). */
export function valuesAt(config: unknown, attribute: string): unknown[] {
  const [head, ...rest] = attribute.split(".");
  if (config === null || typeof config !== "object") return [];
  const value = (config as Record<string, unknown>)[head];
  if (rest.length === 0) return value === undefined ? [] : [value];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => valuesAt(v, rest.join(".")));
}
