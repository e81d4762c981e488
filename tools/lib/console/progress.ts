/**
 * What a long command says while it works: each step as it starts, how long each took, and
 * every so often which steps are still running. One reporter for `npm run review` (its stacks'
 * plans, on stdout with its report), `npm run plan` (each stack, on stderr) and `npm run cost`
 * (each estimate, on stderr): plan and cost keep stdout for what scripts read.
 *
 * Like the review's, the lines are printed whether or not the stream is a terminal (a CI log
 * shows them too); a command that is usually quick stays quiet unless a run takes longer than
 * `quietForMs`.
 */

/** A duration as the commands print it: `7.2 s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The environment variable that sets how long `npm run plan` and `npm run cost` stay quiet, in
 * milliseconds (0: say every step; the tests force it low).
 */
export const QUIET_ENV = "SMH_PROGRESS_AFTER_MS";

/** How long a command stays quiet: QUIET_ENV when set to a number, else the command's own `fallback`. */
export function quietFor(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[QUIET_ENV]);
  return env[QUIET_ENV] !== undefined && env[QUIET_ENV] !== "" && Number.isFinite(set) && set >= 0 ? set : fallback;
}

export interface ProgressOptions {
  /**
   * Nothing is said until the run has taken this long: a step that starts before is announced
   * then, if it is still running (and if the event loop is free: a command that blocks it says
   * the steps that start later). @default 0
   */
  readonly quietForMs?: number;
  /**
   * How often the steps still running are named with their time so far, once one of them has
   * run this long; 0: never. @default 15000
   */
  readonly everyMs?: number;
  /** The verb of that line: `  still planning: prod (15.0 s)`. @default "working on" */
  readonly still?: string;
  /** When the run started, on `now`'s clock (a command passes its process's start). @default now() */
  readonly startedAt?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

interface Step {
  readonly since: number;
  /** The timer that announces the step once the quiet time is over. */
  pending?: NodeJS.Timeout;
}

/** Prints, through `print`, what a run is working on (see the top of this file). */
export class Progress {
  private readonly steps = new Map<string, Step>();
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly quietForMs: number;
  private readonly still: string;
  private readonly everyMs: number;
  private readonly interval?: NodeJS.Timeout;

  constructor(
    private readonly print: (line: string) => void,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = options.startedAt ?? this.now();
    this.quietForMs = options.quietForMs ?? 0;
    this.still = options.still ?? "working on";
    this.everyMs = options.everyMs ?? 15_000;
    // unref: a reporter never keeps a process alive by itself
    if (this.everyMs > 0) this.interval = setInterval(() => this.stillRunning(), this.everyMs).unref();
  }

  /** Whether the run has taken its quiet time: from then on, lines are printed. */
  get speaking(): boolean {
    return this.now() - this.startedAt >= this.quietForMs;
  }

  /** `step` starts: `line` is printed now, or when the quiet time is over if the step is still running then. */
  start(step: string, line: string): void {
    const entry: Step = { since: this.now() };
    const remaining = this.quietForMs - (entry.since - this.startedAt);
    if (remaining <= 0) this.print(line);
    else
      entry.pending = setTimeout(() => {
        entry.pending = undefined;
        this.print(line);
      }, remaining).unref();
    this.steps.set(step, entry);
  }

  /** `step` is done: how long it took (`7.2 s`); an announcement still pending is dropped. */
  done(step: string): string {
    const entry = this.steps.get(step);
    if (!entry) throw new Error(`no step "${step}" was started`);
    clearTimeout(entry.pending);
    this.steps.delete(step);
    return seconds(this.now() - entry.since);
  }

  /** Prints `line` if the run has taken its quiet time (a step's result, say). */
  say(line: string): void {
    if (this.speaking) this.print(line);
  }

  /** Stops the reporter: nothing is printed after this. */
  stop(): void {
    clearInterval(this.interval);
    for (const entry of this.steps.values()) clearTimeout(entry.pending);
    this.steps.clear();
  }

  /** `  still planning: prod (15.0 s), dev (3.1 s)`: the steps running, with their time so far, once one has run everyMs. */
  private stillRunning(): void {
    const now = this.now();
    if (!this.speaking || ![...this.steps.values()].some(({ since }) => now - since >= this.everyMs)) return;
    this.print(`  still ${this.still}: ${[...this.steps].map(([name, { since }]) => `${name} (${seconds(now - since)})`).join(", ")}`);
  }
}
