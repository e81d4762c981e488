/** Thrown before anything is synthesized when any environment's configuration is invalid. */
export class ConfigurationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(
      `Invalid deployment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigurationError";
  }
}
