/** `npm run bench [-- --runs N] [--suite-runs M]`: synthesis and suite timings (tools/lib/ops/bench.ts). */
import { runBench } from "./lib/ops/bench";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
if (!runBench(arg("--runs", 5), arg("--suite-runs", 1))) process.exit(1);
