/** Every generated section of the documents, by file and section name (see src/generated-docs.ts). */
import { committedSettings, resolveDeployment } from "../../src/config/deployment";
import { baselineReference, ciReference, environmentReference } from "../../src/config/reference";
import { pipelineRolesReference } from "../../src/ci-reference";
import { findingsTable } from "../../src/policy/exceptions";
import { type DeploymentSettings, resolveEnvironment } from "../../src/config";
import { budgetReference } from "../../src/dr-runbook";
import { deployOrder } from "../../src/app";
import { devAgainstSeedReference, drModesReference, presetsReference, stagingExampleReference } from "../review/cost-reference";

export function generatedSections(): Record<string, Record<string, string>> {
  const committed = committedSettings();
  return {
    "docs/settings.md": {
      "environment settings": environmentReference(committed),
      "baseline settings": baselineReference(committed),
      "ci settings": ciReference(committed),
      presets: presetsReference(),
      "prod preset example": stagingExampleReference(),
    },
    "SECURITY.md": { "scanner findings": findingsTable() },
    "docs/ci/README.md": { "pipeline roles": pipelineRolesReference(committed) },
    "docs/operations.md": { "deploy order": deployOrderReference(committed), "dev against the seed": devAgainstSeedReference() },
    "docs/disaster-recovery.md": {
      "dr modes": drModesReference(),
      "recovery budget": budgetReference((dr) => resolveEnvironment("prod", committed, { environments: { prod: { dr } } })),
    },
  };
}

/** The first deploy of the committed settings, stack by stack (deployOrder, src/app.ts). */
function deployOrderReference(committed: DeploymentSettings): string {
  return [
    "| # | Stack | Command | Why at this point |",
    "|---:|---|---|---|",
    ...deployOrder(resolveDeployment([committed])).map((step, i) => `| ${i + 1} | \`${step.stack}\` | \`npm run deploy -- ${step.stack}\` | ${step.why} |`),
  ].join("\n");
}
