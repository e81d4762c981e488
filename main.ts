import * as path from "path";
import { ConfigurationError } from "./src/validation";
import { BUILD_DIR, loadSettings, resolveDeployment } from "./src/validation/deployment";
import { acceptedUnencryptedPaths, keepsInstanceBesideAurora } from "./src/validation/rules";
import { createStaging, discard, publish, publishedLines, StateWouldBeDeletedError } from "./src/synth/staging";
import { PolicyCheckError, synthesize } from "./src/synth/synthesize";

// What is not an error goes to stdout: the cdktf CLI labels every chunk the app writes to stderr
// "[ERROR]" (@cdktf/commons, util.ts exec: processLoggerError), warnings included.

// Validate everything before the App exists: an invalid configuration writes nothing.
let settings;
let deployment;
try {
  settings = loadSettings();
  deployment = resolveDeployment(settings);
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// An environment that accepts plain HTTP for a demo says so on every synthesis.
for (const config of deployment.environments.filter((c) => c.acceptUnencryptedHttp)) {
  for (const path of acceptedUnencryptedPaths(config)) {
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
const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? BUILD_DIR);
const staging = createStaging(outdir);
try {
  // `cdktf synth --hcl` asks for HCL through the environment.
  synthesize({ outdir: staging, settings, format: process.env.SYNTH_HCL_OUTPUT === "true" ? "hcl" : "json" });
} catch (error) {
  discard(staging);
  if (!(error instanceof PolicyCheckError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// After the event loop has had its turn: a Ctrl-C during synthesis discards instead.
// The cdktf CLI (deploy, diff, synth --hcl) deletes the stale stack directories itself afterwards.
const cdktfRemovesStale = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === "true";
setImmediate(() => {
  try {
    for (const line of publishedLines(publish(staging, outdir, deployment.personal, { cdktfRemovesStale }))) console.log(line);
  } catch (error) {
    if (!(error instanceof StateWouldBeDeletedError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
});
