/**
 * `npm run docs`: rewrites the generated sections of the documents: the settings reference
 * (schema descriptions + preset values) and SECURITY.md's scanner findings (security/exceptions.json).
 */
import { ConfigurationError } from "../src/validation";
import { writeGeneratedSections } from "./lib/docs/sections";

try {
  for (const line of writeGeneratedSections()) console.log(line);
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  // The sections are generated from the settings: their problems, with the file, key and fix of each.
  console.error(error.message);
  process.exitCode = 1;
}
