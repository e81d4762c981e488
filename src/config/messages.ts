/**
 * The message of every setting a schema check refuses without a message of its own (a type, a
 * bound, a list of allowed values): what the value is, what is allowed, and the fix, in the
 * words of the other refusals, instead of the validator's text ("Too small: expected number to
 * be >0"). Passed to each safeParse; a check's own message still wins (zod 4: a schema's message
 * takes precedence over a per-parse error map).
 */
import type { z } from "zod";

/** The value as the settings file would spell it, shortened. */
export function shown(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A refusal's rule or fix: fixed, or written from the value given. */
type Text = string | ((input: unknown) => string);

/**
 * A check's own refusal, in the words of the others: the value given, the rule (`must be ...`)
 * and the fix, e.g. `project is "X"; it must be 3-20 lower-case letters... Fix: write e.g.
 * "smh-dashboard".` Passed as the check's parameters (`.regex(pattern, refusal(rule, fix))`).
 */
export function refusal(rule: Text, fix: Text): { error: z.core.$ZodErrorMap } {
  const text = (t: Text, input: unknown) => (typeof t === "string" ? t : t(input));
  return { error: (issue) => `is ${shown(issue.input)}; it ${text(rule, issue.input)}. Fix: ${text(fix, issue.input)}.` };
}

const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

const KINDS: Record<string, { what: string; fix: string }> = {
  number: { what: "a number", fix: "write a number, without quotes" },
  int: { what: "a whole number", fix: "write a whole number, without quotes or a fraction" },
  boolean: { what: "true or false", fix: "write true or false, without quotes" },
  string: { what: "a string", fix: 'write it in double quotes, e.g. "15"' },
  array: { what: "a list", fix: 'write a JSON list, e.g. ["a", "b"]' },
  object: { what: "an object", fix: "write a JSON object with the keys docs/settings.md lists" },
  record: { what: "an object", fix: 'write a JSON object of names to strings, e.g. { "Team": "ops" }' },
};

/** The values a union of literals allows, or undefined for another union. */
function literalValues(errors: readonly (readonly { code?: string; values?: readonly unknown[] }[])[]): unknown[] | undefined {
  const values = errors.map((branch) => (branch.length === 1 && branch[0].code === "invalid_value" ? branch[0].values : undefined));
  return values.every((v) => v !== undefined) ? values.flat() : undefined;
}

/** zod's error map for the settings schemas. */
export const settingMessage: z.core.$ZodErrorMap = (issue) => {
  const value = shown(issue.input);
  switch (issue.code) {
    case "invalid_type": {
      const kind = KINDS[issue.expected] ?? { what: `of type ${issue.expected}`, fix: "see docs/settings.md for the type" };
      return issue.input === undefined ? `is missing. Fix: set it to ${kind.what} (docs/settings.md).` : `is ${value}, not ${kind.what}. Fix: ${kind.fix}.`;
    }
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "array")
        return `lists ${Array.isArray(issue.input) ? issue.input.length : 0} item(s); at least ${minimum} needed. Fix: list at least ${minimum}.`;
      if (issue.origin === "string")
        return minimum <= 1 ? "is empty. Fix: write a value." : `is shorter than ${minimum} characters. Fix: write at least ${minimum}.`;
      return issue.inclusive
        ? `is ${value}, below the minimum of ${minimum}. Fix: set it to ${minimum} or more.`
        : `is ${value}; it must be greater than ${minimum}. Fix: set it above ${minimum}.`;
    }
    case "too_big": {
      const maximum = Number(issue.maximum);
      if (issue.origin === "array") return `lists more than ${maximum} item(s). Fix: list at most ${maximum}.`;
      if (issue.origin === "string") return `is longer than ${maximum} characters. Fix: shorten it to ${maximum}.`;
      return issue.inclusive
        ? `is ${value}, above the maximum of ${maximum}. Fix: set it to ${maximum} or less.`
        : `is ${value}; it must be less than ${maximum}. Fix: set it below ${maximum}.`;
    }
    case "not_multiple_of":
      return `is ${value}, not a multiple of ${issue.divisor}. Fix: use a multiple of ${issue.divisor}.`;
    case "invalid_value":
      return `is ${value}, not one of ${list(issue.values)}. Fix: use one of them.`;
    case "invalid_union": {
      const values = literalValues(issue.errors as never);
      return values
        ? `is ${value}, not one of ${list(values)}. Fix: use one of them.`
        : `is ${value}, which no accepted form matches. Fix: see docs/settings.md for this setting.`;
    }
    case "unrecognized_keys":
      return `has unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}. Fix: correct the spelling or remove them; docs/settings.md lists every key.`;
    case "invalid_format":
      return `is ${value}, not in the expected form (${issue.format}${issue.pattern ? ` ${issue.pattern}` : ""}). Fix: see docs/settings.md for this setting.`;
    default:
      return `is ${value}, which is not accepted. Fix: see docs/settings.md for this setting.`;
  }
};
