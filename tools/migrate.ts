/**
 * `npm run migrate -- <env> [--execute] [--from N]`: the next phase of moving an environment from
 * its RDS PostgreSQL instance to Aurora (src/aurora-migration.ts), step by step with the exact
 * commands. Without --execute it only prints them (offline); with it, it runs them in order from
 * the project root and stops at the first failure, saying how to resume.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { migrationPhase, migrationSteps } from "../src/aurora-migration";
import { loadSettings, PROJECT_ROOT, resolveDeployment } from "../src/config/deployment";
import { describeStep, executeSteps, setJsonPath } from "./failover";

function main(argv: string[]): number {
  const environment = argv.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
  const execute = argv.includes("--execute");
  const fromIndex = argv.indexOf("--from");
  const from = fromIndex >= 0 ? Number(argv[fromIndex + 1]) : 1;
  if (!environment) {
    console.error("usage: npm run migrate -- <environment> [--execute] [--from N]");
    return 2;
  }
  const config = resolveDeployment(loadSettings()).environments.find((c) => c.environment === environment);
  if (!config) {
    console.error(`no environment "${environment}" in cdktf.json`);
    return 2;
  }
  const steps = migrationSteps(config);
  console.log(`Moving ${environment} to Aurora, phase "${migrationPhase(config)}": ${steps.length} steps.${execute ? "" : " Dry run: nothing is run; add --execute to run them."}\n`);
  if (!execute) {
    steps.forEach((step, i) => console.log([...describeStep(step, i), ""].join("\n")));
    return 0;
  }
  const failed = executeSteps(steps, {
    run: (script) => spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd: PROJECT_ROOT, stdio: "inherit" }).status === 0,
    setSetting: (dottedPath, value) => setJsonPath(path.join(PROJECT_ROOT, "cdktf.json"), dottedPath, value),
    log: (line) => console.log(line),
  }, from);
  if (failed === 0) console.log("\nDone. Commit cdktf.json: it records the migration's phase.");
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
