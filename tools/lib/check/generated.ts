/**
 * Generated sections of the documents (settings reference, scanner findings, cost and recovery
 * tables) match what the code and data produce now: a changed preset, description or exception
 * is reported until `npm run docs` is run and the result committed.
 */
import * as fs from "fs";
import * as path from "path";
import { withGeneratedSection } from "../docs/markers";
import { generatedSections } from "../docs/sections";

/** Each generated section whose committed text differs from what the generators produce. */
export function staleSections(root: string, sections: Record<string, Record<string, string>> = generatedSections()): string[] {
  return Object.entries(sections).flatMap(([file, byName]) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return Object.entries(byName)
      .filter(([name, content]) => withGeneratedSection(text, name, content) !== text)
      .map(([name]) => `${file}: the generated section "${name}" is stale; run npm run docs and commit the result`);
  });
}
