/** Every generated section of the documents, by file and section name (see src/generated-docs.ts). */
import { committedSettings } from "../../src/config/deployment";
import { baselineReference, ciReference, environmentReference } from "../../src/config/reference";
import { pipelineRolesReference } from "../../src/ci-reference";
import { findingsTable } from "../../src/policy/exceptions";
import { resolveEnvironment } from "../../src/config";
import { AURORA_RECOVERY_CASES, auroraRecoveryTable, budgetReference } from "../../src/dr-runbook";

export function generatedSections(): Record<string, Record<string, string>> {
  const committed = committedSettings();
  const prodWith = (settings: Record<string, unknown>) => resolveEnvironment("prod", committed, { environments: { prod: settings } });
  return {
    "docs/settings.md": {
      "environment settings": environmentReference(committed),
      "baseline settings": baselineReference(committed),
      "ci settings": ciReference(committed),
    },
    "SECURITY.md": { "scanner findings": findingsTable() },
    "docs/ci/README.md": { "pipeline roles": pipelineRolesReference(committed) },
    "docs/disaster-recovery.md": {
      "recovery budget": budgetReference(prodWith),
      "aurora recovery budget": budgetReference(prodWith, AURORA_RECOVERY_CASES),
      "aurora recovery": auroraRecoveryTable(prodWith),
    },
  };
}
