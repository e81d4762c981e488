/**
 * The progress reporter of the long commands (tools/lib/console/progress.ts): quiet while a run
 * is quick, then each step as it starts, its time, and what is still running. Jest's fake timers
 * drive both its timers and its clock (Date.now).
 */
import { Progress, quietFor, QUIET_ENV, seconds } from "../tools/lib/console/progress";

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** A reporter and the lines it printed. */
function reporter(options: ConstructorParameters<typeof Progress>[1]) {
  const lines: string[] = [];
  return { progress: new Progress((line) => lines.push(line), options), lines };
}

test("GIVEN no quiet time WHEN a step starts THEN its line is printed at once, and done gives its time", () => {
  const { progress, lines } = reporter({ everyMs: 0 });
  progress.start("dev", "dev: planning...");
  expect(lines).toEqual(["dev: planning..."]);
  jest.advanceTimersByTime(7_240);
  expect(progress.done("dev")).toBe("7.2 s");
  progress.stop();
});

test("GIVEN a quiet time of 3 s WHEN every step is done within it THEN nothing is printed", () => {
  const { progress, lines } = reporter({ quietForMs: 3_000, everyMs: 0 });
  progress.start("state", "state: planning...");
  jest.advanceTimersByTime(1_000);
  expect(progress.done("state")).toBe("1.0 s");
  progress.say("state: done in 1.0 s");
  jest.advanceTimersByTime(5_000);
  progress.stop();
  expect(lines).toEqual([]);
});

test("GIVEN a quiet time of 3 s WHEN a step that started at 1 s is still running at 3 s THEN its line is printed then, not before", () => {
  const { progress, lines } = reporter({ quietForMs: 3_000, everyMs: 0 });
  jest.advanceTimersByTime(1_000);
  progress.start("prod", "prod: planning...");
  jest.advanceTimersByTime(1_999);
  expect(lines).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(lines).toEqual(["prod: planning..."]);
  // AND what is said of it afterwards is printed too
  jest.advanceTimersByTime(5_000);
  expect(progress.done("prod")).toBe("7.0 s");
  progress.say("prod: done in 7.0 s");
  expect(lines).toEqual(["prod: planning...", "prod: done in 7.0 s"]);
  progress.stop();
});

test("GIVEN a run past its quiet time WHEN a step starts THEN its line is printed at once", () => {
  const { progress, lines } = reporter({ quietForMs: 3_000, everyMs: 0 });
  jest.advanceTimersByTime(4_000);
  progress.start("ci", "ci: planning...");
  expect(lines).toEqual(["ci: planning..."]);
  progress.stop();
});

test("GIVEN the run's start passed in (the process's) WHEN the quiet time counts THEN it counts from there", () => {
  const { progress, lines } = reporter({ quietForMs: 3_000, everyMs: 0, startedAt: Date.now() - 2_500 });
  progress.start("dev", "dev: planning...");
  jest.advanceTimersByTime(500);
  expect(lines).toEqual(["dev: planning..."]);
  progress.stop();
});

test("GIVEN steps running WHEN the interval passes THEN one line names each with its time so far, with the reporter's verb", () => {
  const { progress, lines } = reporter({ everyMs: 15_000, still: "planning" });
  progress.start("prod", "prod: planning...");
  jest.advanceTimersByTime(12_000);
  progress.start("dev", "dev: planning...");
  jest.advanceTimersByTime(3_000);
  expect(lines).toEqual(["prod: planning...", "dev: planning...", "  still planning: prod (15.0 s), dev (3.0 s)"]);
  progress.stop();
});

test("GIVEN only steps that started within the interval WHEN it passes THEN nothing is said of them yet", () => {
  // GIVEN a step done at 10 s and the next one started then
  const { progress, lines } = reporter({ everyMs: 15_000, still: "planning" });
  progress.start("ci", "ci: planning...");
  jest.advanceTimersByTime(10_000);
  progress.done("ci");
  progress.start("dev", "dev: planning...");
  // WHEN the interval passes at 15 s and 30 s
  jest.advanceTimersByTime(20_000);
  // THEN only the second time names dev, running for 20 s by then
  expect(lines).toEqual(["ci: planning...", "dev: planning...", "  still planning: dev (20.0 s)"]);
  progress.stop();
});

test("GIVEN a quiet reporter WHEN stopped with a step's announcement pending THEN nothing is printed afterwards", () => {
  const { progress, lines } = reporter({ quietForMs: 3_000, everyMs: 1_000 });
  progress.start("dev", "dev: planning...");
  progress.stop();
  jest.advanceTimersByTime(60_000);
  expect(lines).toEqual([]);
});

test("GIVEN a clock of its own (a command that blocks the event loop) WHEN steps start THEN those after the quiet time are printed as they start", () => {
  // GIVEN a clock of the test's, the run starting at 0
  let now = 0;
  const lines: string[] = [];
  const progress = new Progress((line) => lines.push(line), { quietForMs: 2_000, everyMs: 0, now: () => now });
  // WHEN four steps of 900 ms run one after the other, blocking the event loop
  for (const step of ["a", "b", "c", "d"]) {
    progress.start(step, `${step}: pricing...`);
    now += 900;
    progress.done(step);
  }
  progress.stop();
  // THEN those started within the quiet time (at 0, 0.9 and 1.8 s) are not said, the one at 2.7 s is
  expect(lines).toEqual(["d: pricing..."]);
});

test(`${QUIET_ENV} sets the quiet time; unset or not a number, the command's own`, () => {
  expect([
    quietFor(3_000, {}),
    quietFor(3_000, { [QUIET_ENV]: "0" }),
    quietFor(3_000, { [QUIET_ENV]: "500" }),
    quietFor(3_000, { [QUIET_ENV]: "soon" }),
  ]).toEqual([3_000, 0, 500, 3_000]);
});

test("a duration is printed in seconds with one decimal", () => {
  expect([seconds(0), seconds(1_249), seconds(61_960)]).toEqual(["0.0 s", "1.2 s", "62.0 s"]);
});
