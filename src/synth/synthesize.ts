/**
 * The one synthesis of the project: main.ts (and so `npm run synth`, `cdktf synth` and both sides
 * of the change review, which run the app command), `npm run plan`, the cost estimate, the
 * diagrams and the test helpers all write their stacks through `synthesize`, so that what they
 * read is what a deploy would apply.
 */
import { App, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { buildApp } from "../stacks/app";
import type { DeploymentSettings } from "../validation";
import { cdktfContext, type Deployment, loadSettings, PROJECT_ROOT, resolveDeployment } from "../validation/deployment";
import { isDrStack, sharedStackKind } from "../config/naming";
import { POLICY_CHECKED_ON_OUTPUT, policyProblems } from "../policy/checks";
import { writeCheckovBaselines } from "../validation/exceptions";
import { formatHcl } from "./hcl-format";

/** Terraform JSON (`cdk.tf.json`), or HCL (`cdk.tf`) as `cdktf synth --hcl` writes it. */
export type SynthesisFormat = "json" | "hcl";

export interface SynthesizeOptions {
  /** The directory the stacks are written to (`stacks/<name>/`, `manifest.json`); emptied first. */
  readonly outdir: string;
  /** The settings layers, later ones winning: what `loadSettings` or `projectSettings` returns, plus any overrides. */
  readonly settings: readonly DeploymentSettings[];
  /** @default "json" */
  readonly format?: SynthesisFormat;
  /**
   * Only these stacks are built, written and policy-checked (the cost estimate reads one or two
   * stacks of many settings variants); the settings are still validated as a whole first, and a
   * stack's JSON is the same as in a whole synthesis (stacks reference nothing across; buildApp).
   * @default every stack (main.ts, plan, the review)
   */
  readonly stacks?: readonly string[];
}

export interface SynthesizedStack {
  readonly name: string;
  /** Path of the stack's `cdk.tf.json` (or `cdk.tf` when synthesized as HCL). */
  readonly file: string;
  /** A per-environment application stack (dev, prod), as opposed to a shared one or a standby. */
  readonly isEnvironment: boolean;
}

export interface Synthesis {
  /** The validated settings the stacks were built from. */
  readonly deployment: Deployment;
  /** Every stack written, by name. */
  readonly stacks: SynthesizedStack[];
}

/** The policy checks (src/policy) failed: nothing the caller should publish was written. */
export class PolicyCheckError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Policy checks failed (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PolicyCheckError";
  }
}

/**
 * The settings layers of the project at its root, as `cdktf synth` sees them there: cdktf.json's
 * context and the environments/ folder (whatever CDKTF_CONTEXT_JSON `env` carries), then the
 * DEPLOYMENT_SETTINGS file of `env`, from whatever directory it is called.
 */
export function projectSettings(env: NodeJS.ProcessEnv = process.env): DeploymentSettings[] {
  return loadSettings({ ...env, CDKTF_CONTEXT_JSON: JSON.stringify(cdktfContext()) }, PROJECT_ROOT);
}

/**
 * Validates `settings` (a ConfigurationError lists every problem), builds every stack (buildApp),
 * writes them into `outdir` and checks each written stack against the policy rules (a
 * PolicyCheckError lists every finding); beside each JSON stack, its checkov baseline
 * (security/exceptions.json). HCL is written as `terraform fmt` would lay it out (formatHcl).
 */
export function synthesize({ outdir, settings, format = "json", stacks: only }: SynthesizeOptions): Synthesis {
  const deployment = resolveDeployment([...settings]);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const hcl = format === "hcl";
  // cdktf's stacks read the HCL switch from the environment when constructed, not from the App.
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    const app = new App({ outdir, hclOutput: hcl });
    // JSON is checked as written, one rendering of each stack; HCL is checked before writing.
    if (!hcl) app.node.setContext(POLICY_CHECKED_ON_OUTPUT, true);
    buildApp(app, deployment, only);
    const before = hcl ? policyProblems(app) : [];
    if (before.length > 0) throw new PolicyCheckError(before);
    app.synth();
    const stacks = app.node.children
      .filter(TerraformStack.isStack)
      .map((stack) => synthesizedStack(outdir, stack.node.id, format))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    // cdktf writes HCL unindented, with quoted references: laid out as `terraform fmt` does.
    if (hcl) for (const stack of stacks) fs.writeFileSync(stack.file, formatHcl(fs.readFileSync(stack.file, "utf8")));
    if (!hcl) {
      const problems = policyProblems(app, (stack) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")));
      if (problems.length > 0) throw new PolicyCheckError(problems);
      if (!only) writeCheckovBaselines(outdir, deployment.environments);
    }
    return { deployment, stacks };
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

/** A stack `synthesize` wrote into `outdir`, by its name. */
export function synthesizedStack(outdir: string, name: string, format: SynthesisFormat): SynthesizedStack {
  return {
    name,
    file: path.join(outdir, "stacks", name, format === "hcl" ? "cdk.tf" : "cdk.tf.json"),
    isEnvironment: sharedStackKind(name) === undefined && !isDrStack(name),
  };
}
