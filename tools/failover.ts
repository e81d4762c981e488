/** `npm run failover`: the regional failover of an environment, or with --back its fail-back (tools/lib/ops/runbook.ts). */
import { failover } from "./lib/ops/runbook";

try {
  process.exitCode = failover(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
