/** Every generated section of the documents, by file and section name (see src/generated-docs.ts). */
import { committedSettings } from "../../src/config/deployment";
import { baselineReference, environmentReference } from "../../src/config/reference";
import { findingsTable } from "../../src/policy/exceptions";

export function generatedSections(): Record<string, Record<string, string>> {
  const committed = committedSettings();
  return {
    "docs/settings.md": { "environment settings": environmentReference(committed), "baseline settings": baselineReference() },
    "SECURITY.md": { "scanner findings": findingsTable() },
  };
}
