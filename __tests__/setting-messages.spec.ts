/**
 * Every refusal of a setting says what is wrong and how to fix it, in the project's words: no
 * check of the schemas falls back to the validator's own text ("Too small: expected number to
 * be >0"), whatever wrong value a setting gets (src/config/messages.ts).
 */
import type { z } from "zod";
import { ConfigurationError, environmentSchema, resolveBaseline, resolveCi, resolveEnvironments } from "../src/validation";
import { baselineSchema } from "../src/config/baseline";
import { ciSchema } from "../src/config/ci";
import { settingLeaves } from "../src/config/reference";
import { COMMITTED } from "./helpers";

/** zod's own wording, which a person running `npm run synth` should never see. */
const VALIDATOR_TEXT = /Invalid input|Invalid option|Invalid string|Too small|Too big|Unrecognized key|expected .* to (be|have)|received /;

/** Wrong values of every kind: types, signs, fractions, sizes, emptiness. */
const WRONG_VALUES: unknown[] = [-1, 0, 0.5, 1e12, "x", "", true, [], ["x"], {}, null];

/** The nested settings object that sets `path` to `value`. */
function at(path: string, value: unknown): Record<string, unknown> {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

function problemsOf(resolve: () => unknown): string[] {
  try {
    resolve();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return [...error.problems];
  }
}

const cases = (schema: z.ZodObject, resolve: (path: string, value: unknown) => () => unknown, values = WRONG_VALUES) =>
  settingLeaves(schema)
    .filter((leaf) => leaf.path !== "environment")
    .map((leaf) => [leaf.path, () => values.flatMap((value) => problemsOf(resolve(leaf.path, value)))] as const);

describe.each([
  ["an environment setting", cases(environmentSchema, (path, value) => () => resolveEnvironments({ environments: { dev: at(path, value) } }))],
  ["a baseline setting", cases(baselineSchema, (path, value) => () => resolveBaseline({ baseline: at(path, value) }))],
  ["a ci setting", cases(ciSchema, (path, value) => () => resolveCi({ ci: at(path, value) }))],
])("every refusal of %s is in the project's words", (_kind, leaves) => {
  test.each(leaves)("%s", (_path, problems) => {
    // GIVEN every kind of wrong value for the setting, WHEN the settings are resolved
    const refused = problems();
    // THEN each refusal is the project's message (a wrong value is refused at least once)
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((p) => VALIDATOR_TEXT.test(p))).toEqual([]);
    // AND each says the fix
    expect(refused.filter((p) => !p.includes(" Fix: "))).toEqual([]);
  });
});

describe.each([
  ["an environment setting", cases(environmentSchema, (path, value) => () => resolveEnvironments({ environments: { dev: at(path, value) } }), ["x"])],
  ["a ci setting", cases(ciSchema, (path, value) => () => resolveCi({ ci: at(path, value) }), ["x"])],
])("every refusal of %s names the value given", (_kind, leaves) => {
  test.each(leaves)("%s", (path, problems) => {
    // GIVEN the string "x" for the setting, WHEN the settings are resolved, THEN each refusal of it shows "x"
    expect(problems().filter((p) => p.includes(`${path} `) && !p.includes('"x"'))).toEqual([]);
  });
});

test("GIVEN a project name of the wrong form WHEN resolved THEN the message names the setting, the value and the fix", () => {
  expect(problemsOf(() => resolveEnvironments(COMMITTED, { project: "X" }))).toEqual([
    'project is "X"; it must be 3-20 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen. Fix: write e.g. "smh-dashboard".',
  ]);
});

test('GIVEN a CIDR with a missing number ("10.0.0/16") WHEN resolved THEN one message says so, with the fix', () => {
  expect(problemsOf(() => resolveEnvironments(COMMITTED, { network: { vpcCidr: "10.0.0/16" } }))).toEqual([
    'network.vpcCidr is "10.0.0/16"; it must be an IPv4 CIDR block: four numbers from 0 to 255 and a prefix length from 0 to 32. Fix: write it as e.g. "10.0.0.0/16".',
  ]);
});

test("a number below its bound says the value, the bound and the fix", () => {
  expect(problemsOf(() => resolveEnvironments({ environments: { dev: { service: { cpu: 0 } } } }))).toEqual([
    'environment "dev": service.cpu is 0; it must be greater than 0. Fix: set it above 0.',
  ]);
});

test("a value outside a fixed list names the allowed values", () => {
  expect(problemsOf(() => resolveEnvironments({ environments: { dev: { database: { monitoringIntervalSeconds: 3 as never } } } }))).toEqual([
    'environment "dev": database.monitoringIntervalSeconds is 3, not one of 0, 1, 5, 10, 15, 30, 60. Fix: use one of them.',
  ]);
});

test("an unknown baseline setting is named under baseline, with the fix", () => {
  expect(problemsOf(() => resolveBaseline({ baseline: { guardDutty: true } as never }))).toEqual([
    'baseline: has unknown setting(s) "guardDutty". Fix: correct the spelling or remove them; docs/settings.md lists every key.',
  ]);
});

describe("a top-level setting's problem is reported once", () => {
  test("GIVEN an empty top-level availabilityZones WHEN resolved THEN one problem, naming the setting, not one per environment or per subnet", () => {
    expect(problemsOf(() => resolveEnvironments(COMMITTED, { availabilityZones: [] }))).toEqual([
      'availabilityZones lists 0 zone(s); the ALB and high availability need at least 2. Fix: list two zones of us-east-1, e.g. ["us-east-1a", "us-east-1b"].',
    ]);
  });

  test("GIVEN a top-level setting wrong for some environments only WHEN resolved THEN it is reported once, naming those environments", () => {
    const problems = problemsOf(() => resolveEnvironments(COMMITTED, { database: { backupRetentionDays: 0 }, environments: { staging: { preset: "prod" } } }));
    expect(problems.filter((p) => p.includes("backupRetentionDays"))).toEqual([
      'environments "prod", "staging": database.backupRetentionDays is 0 (no automated backups) while protectData is on. Fix: keep at least 1 day (seed: 7 in prod).',
    ]);
  });

  test("GIVEN a top-level mistake that one environment repeats in its own settings WHEN resolved THEN the others' is reported once, that environment's with its name", () => {
    const problems = problemsOf(() =>
      resolveEnvironments(COMMITTED, {
        stateRegion: "us-east-1",
        environments: { staging: { preset: "dev" }, sbx: { preset: "dev", stateRegion: "us-east-1" } },
      }),
    );
    expect(problems.filter((p) => p.includes("stateRegion")).map((p) => p.split(" stateRegion")[0])).toEqual([
      'environments "dev", "prod", "staging":',
      'environment "sbx":',
    ]);
  });

  test("GIVEN the same mistake in each environment's own settings WHEN resolved THEN each environment's is reported with its name", () => {
    const own = { stateRegion: "us-east-1" };
    expect(problemsOf(() => resolveEnvironments(COMMITTED, { environments: { dev: own, prod: own } })).map((p) => p.split(":")[0])).toEqual([
      'environment "dev"',
      'environment "prod"',
    ]);
  });
});
