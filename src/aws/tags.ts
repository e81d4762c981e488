/**
 * What AWS accepts as a tag, on every resource the project tags (through the providers'
 * default_tags). Source: the tag restrictions AWS's service guides share, e.g. AWS Batch User
 * Guide, "Tag restrictions" (https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html):
 * a key of 1-128 and a value of 0-256 Unicode characters; letters, numbers, spaces and
 * + - = . _ : / @; no `aws:` prefix (any case) on keys or values, which AWS reserves.
 */

export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

/** Letters, numbers and spaces of any script, and the symbols every tagging service accepts. */
const TAG_CHARACTERS = /^[\p{L}\p{N}\p{Z}+\-=._:/@]*$/u;
const RESERVED_PREFIX = /^aws:/i;

/** The characters of `text` no tag may hold, each once. */
const refusedCharacters = (text: string) => [...new Set([...text].filter((ch) => !TAG_CHARACTERS.test(ch)))];

/** Why `text` is not a tag key (or value), each as a rule broken (`is 300 characters long; ...`) and its fix; empty when it is one. */
export function tagProblems(text: string, part: "key" | "value"): { rule: string; fix: string }[] {
  const problems: { rule: string; fix: string }[] = [];
  const length = [...text].length;
  const max = part === "key" ? TAG_KEY_MAX : TAG_VALUE_MAX;
  if (part === "key" && length === 0) problems.push({ rule: "is empty; a tag key has at least 1 character", fix: 'name the tag, e.g. "Team"' });
  if (length > max) problems.push({ rule: `is ${length} characters long; a tag ${part} has at most ${max}`, fix: `shorten it to ${max} characters` });
  const refused = refusedCharacters(text);
  if (refused.length > 0) {
    problems.push({
      rule: `holds ${refused.map((ch) => JSON.stringify(ch)).join(", ")}; a tag ${part} holds only letters, numbers, spaces and + - = . _ : / @`,
      fix: 'remove those characters or replace them, e.g. with "-"',
    });
  }
  if (RESERVED_PREFIX.test(text)) {
    problems.push({
      rule: `starts with "${text.slice(0, 4)}", which AWS reserves for its own tags`,
      fix: `drop the prefix, e.g. ${JSON.stringify(text.slice(4) || "Team")}`,
    });
  }
  return problems;
}
