/** Thrown before anything is synthesized when any environment's configuration is invalid. */
export class ConfigurationError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid deployment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
    this.name = "ConfigurationError";
  }
}

/**
 * Runs several validations and gathers the problems of each ConfigurationError they throw, so
 * that one error can report every problem at once.
 */
export class ProblemCollector {
  public readonly problems: string[] = [];

  /** The result of `run`, or undefined when it threw a ConfigurationError (whose problems are kept). */
  attempt<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      this.problems.push(...error.problems);
      return undefined;
    }
  }
}
