/**
 * The generators of the documents' sections (npm run docs): the settings reference has a row per
 * setting with the presets' values, and a document without a section's markers is refused with
 * the lines to add. That every committed section is current is a repository guard
 * (npm run check, generated-docs).
 */
import { environmentSchema } from "../src/validation";
import { settingLeaves } from "../src/config/reference";
import { withGeneratedSection } from "../tools/lib/docs/markers";
import { generatedSections } from "../tools/lib/docs/sections";

const sections = generatedSections();

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
