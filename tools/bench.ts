/** `npm run bench [-- --runs N] [--review-runs R] [--suite-runs M] [--ci-runs N]`: synthesis, review, plan, suite and CI timings (tools/lib/ops/bench.ts). */
import { runBench } from "./lib/ops/bench";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
if (!runBench({ runs: arg("--runs", 5), reviewRuns: arg("--review-runs", 1), suiteRuns: arg("--suite-runs", 1), ciRuns: arg("--ci-runs", 1) })) process.exit(1);
