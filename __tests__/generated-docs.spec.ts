/**
 * Generated sections of the documents (settings reference, scanner findings) match what the code
 * and data produce now: a changed preset, description or exception fails here until
 * `npm run docs` is run and the result committed.
 */
import * as fs from "fs";
import * as path from "path";
import { environmentSchema } from "../src/config";
import { settingLeaves } from "../src/config/reference";
import { withGeneratedSection } from "../tools/lib/docs/markers";
import { generatedSections } from "../tools/lib/docs/sections";
import { PROJECT_ROOT } from "../src/config/deployment";

// Computed once: the cost sections build a dozen stacks.
const sections = generatedSections();

test.each(Object.entries(sections).flatMap(([file, sections]) => Object.entries(sections).map(([name, content]) => [file, name, content])))(
  "%s: the generated section %s is current (npm run docs)",
  (file, name, content) => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
    expect(withGeneratedSection(text, name, content)).toBe(text);
  },
);

test("the settings reference has one row per setting, each with the dev and prod preset values", () => {
  const table = sections["docs/settings.md"]["environment settings"];
  const leaves = settingLeaves(environmentSchema).filter((l) => l.path !== "environment");
  expect(table.split("\n").filter((row) => row.startsWith("| `"))).toHaveLength(leaves.length);
  expect(table).toContain("| `storage.forceDestroy` | `true` | `false` |");
  expect(table).toContain("| `loadBalancer.targetProtocol` | `HTTP` | `HTTPS` |");
});

test("a document without the markers of a section says which lines to add", () => {
  expect(() => withGeneratedSection("# nothing here\n", "environment settings", "x")).toThrow(
    'no generated section "environment settings": add the lines\n<!-- generated: environment settings (npm run docs); do not edit by hand -->\n<!-- end generated: environment settings -->',
  );
});
