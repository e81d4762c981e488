/**
 * `npm run exceptions [-- <outdir>]`: the scanner exceptions (security/exceptions.json) that the
 * checkov baselines of the stacks synthesized under `<outdir>` (default cdktf.out, as `npm run
 * synth` writes it) accept, as a Markdown table with each reason. CI appends it to a pull
 * request's summary beside the checkov scan (docs/ci/README.md).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError } from "../src/validation";
import { resolveDeployment } from "../src/validation/deployment";
import { acceptedExceptionsTable } from "../src/validation/exceptions";
import { projectSettings } from "../src/synth/synthesize";

const USAGE = "Usage: npm run exceptions [-- <outdir>] (default cdktf.out, after npm run synth)";

const argv = process.argv.slice(2);
if (argv.length > 1 || argv.some((arg) => arg.startsWith("-"))) {
  console.error(`npm run exceptions: unknown arguments: ${argv.join(" ")}. ${USAGE}`);
  process.exit(2);
}
const outdir = path.resolve(argv[0] ?? "cdktf.out");
if (!fs.existsSync(path.join(outdir, "stacks"))) {
  console.error(`npm run exceptions: ${outdir} holds no synthesized stacks. Fix: run npm run synth first. ${USAGE}`);
  process.exit(2);
}

try {
  console.log(acceptedExceptionsTable(outdir, resolveDeployment(projectSettings()).environments));
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
