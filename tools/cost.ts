/** `npm run cost`: the monthly cost report (tools/lib/ops/cost-report.ts), printed and written to review/cost.md. */
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError } from "../src/config";
import { costReport } from "./lib/ops/cost-report";
import { REVIEW_DIR } from "./lib/terraform/harness";

try {
  const text = costReport();
  fs.mkdirSync(REVIEW_DIR, { recursive: true });
  fs.writeFileSync(path.join(REVIEW_DIR, "cost.md"), text);
  console.log(text);
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
