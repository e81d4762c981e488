/**
 * `npm run docs`: rewrites the generated sections of the documents: the settings reference
 * (schema descriptions + preset values) and SECURITY.md's scanner findings (security/exceptions.json).
 */
import { writeGeneratedSections } from "./lib/docs/sections";

for (const line of writeGeneratedSections()) console.log(line);
