/** Every generated section of the documents, by file and section name (see src/generated-docs.ts). */
import * as fs from "fs";
import * as path from "path";
import { committedSettings, resolveDeployment } from "../../src/config/deployment";
import { baselineReference, ciReference, environmentReference } from "../../src/config/reference";
import { pipelineRolesReference } from "../../src/ci-reference";
import { webAclReference } from "../../src/constructs/waf";
import { findingsTable, type RecordedScan } from "../../src/policy/exceptions";
import { type DeploymentSettings, resolveEnvironment } from "../../src/config";
import { AURORA_RECOVERY_CASES, auroraRecoveryTable, budgetReference } from "../../src/dr-runbook";
import { deployOrder } from "../../src/app";
import { devAgainstSeedReference, drModesReference, presetsReference, stagingExampleReference } from "../review/cost-reference";
import { rulesTable } from "../review/rules";

/** The recorded checkov scan that SECURITY.md's findings table quotes and exceptions.spec checks against. */
export const RECORDED_SCAN_FILE = path.join(__dirname, "..", "..", "__tests__", "fixtures", "checkov-scan-2026-11-29.json");

export function generatedSections(): Record<string, Record<string, string>> {
  const committed = committedSettings();
  const scan = JSON.parse(fs.readFileSync(RECORDED_SCAN_FILE, "utf8")) as RecordedScan;
  const prodWith = (settings: Record<string, unknown>) => resolveEnvironment("prod", committed, { environments: { prod: settings } });
  return {
    "docs/settings.md": {
      "environment settings": environmentReference(committed),
      "baseline settings": baselineReference(committed),
      "ci settings": ciReference(committed),
      presets: presetsReference(),
      "prod preset example": stagingExampleReference(),
    },
    "SECURITY.md": {
      "web ACL rules": webAclReference(resolveEnvironment("prod", committed).edge.waf),
      "scanner findings": findingsTable(scan),
    },
    "docs/ci/README.md": { "pipeline roles": pipelineRolesReference(committed) },
    "docs/operations.md": { "deploy order": deployOrderReference(committed), "dev against the seed": devAgainstSeedReference() },
    "docs/change-review.md": { "change review rules": rulesTable() },
    "docs/disaster-recovery.md": {
      "dr modes": drModesReference(),
      "recovery budget": budgetReference(prodWith),
      "aurora recovery budget": budgetReference(prodWith, AURORA_RECOVERY_CASES),
      "aurora recovery": auroraRecoveryTable(prodWith),
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
