import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { buildApp } from "./src/app";
import { loadSettings, resolveDeployment } from "./src/config/deployment";
import { ConfigurationError } from "./src/config";
import { keepsInstanceBesideAurora, unencryptedPaths } from "./src/config/rules";
import { POLICY_CHECKED_ON_OUTPUT, policyProblems } from "./src/policy/checks";
import { writeCheckovBaselines } from "./src/policy/exceptions";
import { createStaging, discard, publish, publishedLines } from "./src/synth-output";

// What is not an error goes to stdout: the cdktf CLI labels every chunk the app writes to stderr
// "[ERROR]" (@cdktf/commons, util.ts exec: processLoggerError), warnings included.

// Validate everything before the App exists: an invalid configuration writes nothing.
let deployment;
try {
  deployment = resolveDeployment(loadSettings());
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// An environment that accepts plain HTTP for a demo says so on every synthesis.
for (const config of deployment.environments.filter((c) => c.protectData && c.acceptUnencryptedHttp)) {
  for (const path of unencryptedPaths(config)) {
    console.log(`${config.environment}: WARNING: not encrypted in transit: ${path.what}. acceptUnencryptedHttp is true; remove it before real student data.`);
  }
}
// An RDS instance kept beside Aurora costs money until the move's retire step (docs/operations.md).
for (const config of deployment.environments.filter(keepsInstanceBesideAurora)) {
  console.warn(
    config.database.migration === "promoted"
      ? `${config.environment}: NOTE: the RDS instance is kept beside Aurora until the move is verified: retire it with npm run migrate -- ${config.environment}.`
      : `${config.environment}: NOTE: the RDS instance is kept beside Aurora and nothing records that its data moved (database.migration "instance-kept"): move it with npm run migrate -- ${config.environment}, or set "instance-retired" if this environment never had one.`,
  );
}
// Synthesized into a staging directory beside the output and moved there only when every
// stack passes the policy checks (src/policy): a violation in one stack leaves no stack written.
const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
const staging = createStaging(outdir);
const app = new App({ outdir: staging });
// JSON output is checked as written, one rendering of each stack; HCL is checked before writing.
const checkOutput = !app.hclOutput;
if (checkOutput) app.node.setContext(POLICY_CHECKED_ON_OUTPUT, true);
let problems: string[] = [];
try {
  buildApp(app, deployment);
  problems = checkOutput ? [] : policyProblems(app);
  if (problems.length === 0) {
    app.synth();
    if (checkOutput) problems = policyProblems(app, (stack) => JSON.parse(fs.readFileSync(path.join(staging, "stacks", stack.node.id, "cdk.tf.json"), "utf8")));
  }
  // Beside each stack: the scanner findings documented in security/exceptions.json, as a checkov baseline.
  if (problems.length === 0) writeCheckovBaselines(staging, deployment.environments);
} catch (error) {
  discard(staging);
  throw error;
}
if (problems.length > 0) {
  discard(staging);
  console.error(`Policy checks failed (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
// After the event loop has had its turn: a Ctrl-C during synthesis discards instead.
setImmediate(() => {
  for (const line of publishedLines(publish(staging, outdir))) console.log(line);
});
