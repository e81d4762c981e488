import { App } from "cdktf";
import { buildApp } from "./src/app";
import { loadSettings, resolveDeployment } from "./src/config/deployment";
import { ConfigurationError } from "./src/config";
import { unencryptedPaths } from "./src/config/rules";
import { policyProblems } from "./src/policy/checks";
import { writeCheckovBaselines } from "./src/policy/exceptions";

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
    console.warn(`${config.environment}: WARNING: not encrypted in transit: ${path.what}. acceptUnencryptedHttp is true; remove it before real student data.`);
  }
}
const app = new App();
buildApp(app, deployment);
// Policy checks (src/policy) also run as aspects during synthesis (on the same findings);
// checking first means a violation in one stack does not leave the others written.
const problems = policyProblems(app);
if (problems.length > 0) {
  console.error(`Policy checks failed (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
app.synth();
// Beside each stack: the scanner findings documented in security/exceptions.json, as a checkov baseline.
writeCheckovBaselines(app.outdir, deployment.environments);
