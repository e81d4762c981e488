/**
 * `npm run docs`: every generated section of the documents, by file and section name, between
 * the markers of markers.ts; __tests__/generated-docs.spec.ts fails when one is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { committedSettings, PROJECT_ROOT, resolveDeployment } from "../../../src/validation/deployment";
import { baselineReference, ciReference, environmentReference } from "./settings-reference";
import { pipelineRolesReference } from "./pipeline-roles";
import { webAclReference } from "./web-acl";
import { findingsTable, type RecordedScan } from "../../../src/validation/exceptions";
import { type DeploymentSettings, resolveEnvironment } from "../../../src/validation";
import { AURORA_RECOVERY_CASES, auroraRecoveryTable, budgetReference } from "./recovery";
import { deployOrder } from "../../../src/stacks/app";
import { withGeneratedSection } from "./markers";
import { devAgainstSeedReference, drModesReference, presetsReference, stagingExampleReference } from "./cost-reference";
import { rulesTable } from "../review/rules";
import { STACK_RULES } from "../review/stack-rules";
import { layoutReference } from "./layout";
import { importReference } from "./imports";

/** The recorded checkov scan that SECURITY.md's findings table quotes and exceptions.spec checks against. */
export const RECORDED_SCAN_FILE = path.join(PROJECT_ROOT, "__tests__", "fixtures", "checkov-scan-2026-11-29.json");

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
    "docs/change-review.md": { "change review rules": rulesTable(STACK_RULES) },
    "docs/architecture.md": { layout: layoutReference() },
    "docs/import.md": { "import addresses": importReference(committed) },
    "docs/disaster-recovery.md": {
      "dr modes": drModesReference(),
      "recovery budget": budgetReference(prodWith),
      "aurora recovery budget": budgetReference(prodWith, AURORA_RECOVERY_CASES),
      "aurora recovery": auroraRecoveryTable(prodWith),
    },
  };
}

/** The first deploy of the committed settings, stack by stack (deployOrder, src/stacks/app.ts). */
function deployOrderReference(committed: DeploymentSettings): string {
  return [
    "| # | Stack | Command | Why at this point |",
    "|---:|---|---|---|",
    ...deployOrder(resolveDeployment([committed])).map((step, i) => `| ${i + 1} | \`${step.stack}\` | \`npm run deploy -- ${step.stack}\` | ${step.why} |`),
  ].join("\n");
}

/** Rewrites every generated section in its document; one line per document, naming its sections. */
export function writeGeneratedSections(): string[] {
  return Object.entries(generatedSections()).map(([file, sections]) => {
    const target = path.join(PROJECT_ROOT, file);
    let text = fs.readFileSync(target, "utf8");
    for (const [name, content] of Object.entries(sections)) text = withGeneratedSection(text, name, content);
    fs.writeFileSync(target, text);
    return `${file}: ${Object.keys(sections).join(", ")}`;
  });
}
