/**
 * The settings of `section` named by `keys`, and no other: what a construct declares it reads.
 * A spread (`...config.database`) would also hand over settings the construct does not declare
 * (`enabled`), which TypeScript lets through.
 */
export function pick<T extends object, K extends keyof T>(section: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, section[key]])) as Pick<T, K>;
}
