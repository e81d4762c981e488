/** `npm run migrate`: the next phase of an environment's move to Aurora (tools/lib/ops/runbook.ts). */
import { migrate } from "./lib/ops/runbook";

try {
  process.exitCode = migrate(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
