/** `npm run failover`: the regional failover of an environment, or with --back its fail-back (tools/lib/ops/runbook.ts). */
import { failover, runbookCommand } from "./lib/ops/runbook";

process.exitCode = runbookCommand(failover, process.argv.slice(2));
