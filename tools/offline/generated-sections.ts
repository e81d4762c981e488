/** Every generated section of the documents, by file and section name (see src/generated-docs.ts). */
import { committedSettings } from "../../src/config/deployment";
import { baselineReference, ciReference, environmentReference } from "../../src/config/reference";
import { pipelineRolesReference } from "../../src/ci-reference";
import { findingsTable } from "../../src/policy/exceptions";
import { resolveEnvironment } from "../../src/config";
import { budgetReference } from "../../src/dr-runbook";
import { rulesTable } from "../review/rules";

export function generatedSections(): Record<string, Record<string, string>> {
  const committed = committedSettings();
  return {
    "docs/settings.md": {
      "environment settings": environmentReference(committed),
      "baseline settings": baselineReference(committed),
      "ci settings": ciReference(committed),
    },
    "SECURITY.md": { "scanner findings": findingsTable() },
    "docs/ci/README.md": { "pipeline roles": pipelineRolesReference(committed) },
    "docs/change-review.md": { "change review rules": rulesTable() },
    "docs/disaster-recovery.md": {
      "recovery budget": budgetReference((dr) => resolveEnvironment("prod", committed, { environments: { prod: { dr } } })),
    },
  };
}
