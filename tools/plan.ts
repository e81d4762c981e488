/**
 * `npm run plan`: every stack planned offline into review/<stack>/ (tools/lib/ops/plan.ts); a slow
 * run says on stderr what it is working on (tools/lib/ops/plan-run.ts).
 */
import { PLAN_USAGE, runPlan } from "./lib/ops/plan-run";

const argv = process.argv.slice(2);
if (argv.length > 0) {
  console.error(`npm run plan: unknown arguments: ${argv.join(" ")}. ${PLAN_USAGE}`);
  process.exit(2);
}

runPlan().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`npm run plan: ${error.message}`);
    process.exitCode = 1;
  },
);
