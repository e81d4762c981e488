/**
 * `npm run docs`: rewrites the generated sections of the documents: the settings reference
 * (schema descriptions + preset values) and SECURITY.md's scanner findings (security/exceptions.json).
 */
import * as fs from "fs";
import * as path from "path";
import { withGeneratedSection } from "../src/generated-docs";
import { generatedSections } from "./offline/generated-sections";

const ROOT = path.join(__dirname, "..");
for (const [file, sections] of Object.entries(generatedSections())) {
  const target = path.join(ROOT, file);
  let text = fs.readFileSync(target, "utf8");
  for (const [name, content] of Object.entries(sections)) text = withGeneratedSection(text, name, content);
  fs.writeFileSync(target, text);
  console.log(`${file}: ${Object.keys(sections).join(", ")}`);
}
