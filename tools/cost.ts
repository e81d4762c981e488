/**
 * `npm run cost [-- --detail]`: the monthly cost report (tools/lib/ops/cost-report.ts), written
 * whole to review/cost.md. The terminal gets the summary (every stack's total and the grand total)
 * and where the detail is: the detail is long tables, read in the file or a diff of it;
 * `--detail` prints it too.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { ConfigurationError } from "../src/validation";
import { Progress, quietFor } from "./lib/console/progress";
import { COST_QUIET_MS, costReportParts } from "./lib/ops/cost-report";
import { REVIEW_DIR } from "./lib/terraform/harness";

const USAGE = "Usage: npm run cost [-- --detail]";

const argv = process.argv.slice(2);
if (argv.some((arg) => arg !== "--detail")) {
  console.error(`npm run cost: unknown arguments: ${argv.join(" ")}. ${USAGE}`);
  process.exit(2);
}

// A slow run (a cold synthesis cache) says on stderr which estimate it is working on; stdout is the report's.
const progress = new Progress(console.error, { quietForMs: quietFor(COST_QUIET_MS), everyMs: 0, startedAt: performance.timeOrigin });
try {
  const { summary, detail } = costReportParts(undefined, progress);
  const file = path.join(REVIEW_DIR, "cost.md");
  fs.mkdirSync(REVIEW_DIR, { recursive: true });
  fs.writeFileSync(file, `${summary}\n${detail}`);
  if (argv.includes("--detail")) console.log(`${summary}\n${detail}`);
  else
    console.log(
      `${summary}\nThe detail (each environment line by line, its cost options and size presets, each DR mode): ${path.relative(process.cwd(), file)}, or npm run cost -- --detail.`,
    );
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  progress.stop();
}
