/**
 * Sections of the documents that are generated from code or data, between markers, so that a
 * test can regenerate them and fail when the committed text is stale (`npm run docs` rewrites).
 */
const start = (name: string) => `<!-- generated: ${name} (npm run docs); do not edit by hand -->`;
const end = (name: string) => `<!-- end generated: ${name} -->`;

/** `markdown` with the generated section `name` replaced by `content`. */
export function withGeneratedSection(markdown: string, name: string, content: string): string {
  const from = markdown.indexOf(start(name));
  const to = markdown.indexOf(end(name));
  if (from < 0 || to < from) throw new Error(`no generated section "${name}": add the lines\n${start(name)}\n${end(name)}`);
  return `${markdown.slice(0, from + start(name).length)}\n${content}\n${markdown.slice(to)}`;
}
