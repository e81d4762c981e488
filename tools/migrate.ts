/** `npm run migrate`: the next phase of an environment's move to Aurora (tools/lib/ops/runbook.ts). */
import { migrate, runbookCommand } from "./lib/ops/runbook";

process.exitCode = runbookCommand(migrate, process.argv.slice(2));
