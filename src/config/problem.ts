/** One thing wrong with a configuration: where, what, and how to fix it. */
export interface Problem {
  /** Dotted path of the setting, e.g. `network.privateSubnetCidrs[1]`, or the prop of a construct. */
  readonly path: string;
  /** What is wrong and the fix, in one sentence or two. */
  readonly message: string;
  /**
   * The setting whose value is at fault, where it is not `path` itself: an unknown key under
   * `path` (`network.cidr` for `network has unknown setting(s) "cidr"`). The message names the
   * file that writes it. @default path
   */
  readonly setting?: string;
}

/**
 * How an input rule names what it checks: a construct's rule (exported beside the construct,
 * thrown by its constructor) names its props as they are (`desiredCount`), the settings
 * validation as settings (`service.desiredCount`), so each rule is written once for both.
 */
export type NameOf = (prop: string) => string;

/** Names inputs as a construct's props. */
export const asProps: NameOf = (prop) => prop;

/** Names inputs as the settings of one section: `inSection("service")("minCount")` is `service.minCount`. */
export const inSection =
  (section: string): NameOf =>
  (prop) =>
    `${section}.${prop}`;

/** Throws a construct's refused inputs as one error that names the construct and every problem. */
export function refuseInputs(constructPath: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new Error(`${constructPath}: ${problems.map((p) => `${p.path} ${p.message}`).join(" ")}`);
}
