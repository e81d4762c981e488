/**
 * `npm run migrate -- <env> [--execute] [--from N]`: the next phase of moving an environment from
 * its RDS PostgreSQL instance to Aurora (src/aurora-migration.ts), step by step with the exact
 * commands. Without --execute it only prints them (offline); with it, it runs them in order from
 * the project root and stops at the first failure, saying how to resume.
 */
import { migrationPhase, migrationSteps } from "../src/aurora-migration";
import { printOrRun, runbookArguments } from "./failover";

function main(argv: string[]): number {
  const args = runbookArguments(argv, "npm run migrate -- <environment> [--execute] [--from N]");
  if (!args) return 2;
  const steps = migrationSteps(args.config);
  console.log(`Moving ${args.config.environment} to Aurora, phase "${migrationPhase(args.config)}": ${steps.length} steps${args.from > 1 ? `, from step ${args.from}` : ""}.${args.execute ? "" : " Dry run: nothing is run; add --execute to run them."}\n`);
  return printOrRun(steps, args, "the move's phase");
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
