/**
 * `npm run diagram [-- --out <dir> | --docs]`: each environment's picture, SVG and PNG, into
 * review/diagrams (git-ignored) unless `--out` names another directory; `--docs` rewrites the
 * committed pictures in docs/diagrams (tools/lib/ops/diagrams.ts).
 */
import * as path from "path";
import { ConfigurationError } from "../src/validation";
import { diagramOutput, writeDiagrams } from "./lib/ops/diagrams";

const output = diagramOutput(process.argv.slice(2));
if ("refused" in output) {
  console.error(output.refused);
  process.exit(2);
}

writeDiagrams(output.dir).then(
  (written) => written.forEach(({ name, svg }) => console.log(`${name}: ${path.relative(process.cwd(), svg)}, .png`)),
  (error) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exit(1);
  },
);
