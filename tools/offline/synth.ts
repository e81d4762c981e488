/** Synthesizes every stack of main.ts into a directory, with the settings of cdktf.json. */
import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { BASELINE_STACK, buildApp, CI_STACK, STATE_STACK } from "../../src/app";
import { isDrStack } from "../../src/naming";
import { cdktfContext, loadSettings, resolveDeployment } from "../../src/config/deployment";
import { writeCheckovBaselines } from "../../src/policy/exceptions";

export interface SynthesizedStack {
  readonly name: string;
  /** Path of the stack's `cdk.tf.json` (or `cdk.tf` when synthesized as HCL). */
  readonly file: string;
  /** A per-environment application stack (dev, prod), as opposed to a shared one. */
  readonly isEnvironment: boolean;
}

/**
 * Builds the app as `cdktf synth` does (as `cdktf synth --hcl` with `format` "hcl") and returns
 * where each stack was written.
 */
export function synthesizeAll(outdir: string, env: NodeJS.ProcessEnv = process.env, format: "json" | "hcl" = "json"): SynthesizedStack[] {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const context = cdktfContext();
  const deployment = resolveDeployment(loadSettings({ ...env, CDKTF_CONTEXT_JSON: JSON.stringify(context) }));
  // cdktf's stacks read the HCL switch from the environment when constructed, not from the App.
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(format === "hcl");
  try {
    const app = new App({ outdir, context, hclOutput: format === "hcl" });
    buildApp(app, deployment);
    app.synth();
    if (format === "json") writeCheckovBaselines(outdir, deployment.environments);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  const shared = new Set([STATE_STACK, BASELINE_STACK, CI_STACK]);
  return fs.readdirSync(path.join(outdir, "stacks")).map((name) => ({
    name,
    file: path.join(outdir, "stacks", name, format === "hcl" ? "cdk.tf" : "cdk.tf.json"),
    isEnvironment: !shared.has(name) && !isDrStack(name),
  }));
}
