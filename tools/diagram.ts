/**
 * `npm run diagram [-- --out <dir> | --docs]`: each environment's picture, SVG and PNG, into
 * review/diagrams (git-ignored) unless `--out` names another directory; `--docs` rewrites the
 * committed pictures in docs/diagrams (tools/lib/ops/diagrams.ts).
 */
import * as path from "path";
import { ConfigurationError } from "../src/validation";
import { DIAGRAM_DIR, REVIEW_DIAGRAM_DIR, writeDiagrams } from "./lib/ops/diagrams";

const USAGE = "Usage: npm run diagram [-- --out <dir> | --docs]";

function outputDir(argv: string[]): string {
  if (argv.length === 0) return REVIEW_DIAGRAM_DIR;
  if (argv.length === 1 && argv[0] === "--docs") return DIAGRAM_DIR;
  if (argv.length === 2 && argv[0] === "--out") return path.resolve(argv[1]);
  console.error(`npm run diagram: unknown or incomplete arguments: ${argv.join(" ")}. ${USAGE}`);
  return process.exit(2);
}

writeDiagrams(outputDir(process.argv.slice(2))).then(
  (written) => written.forEach(({ name, svg }) => console.log(`${name}: ${path.relative(process.cwd(), svg)}, .png`)),
  (error) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exit(1);
  },
);
