/** `npm run diagram [-- --out <dir>]`: each environment's picture, SVG and PNG (tools/lib/ops/diagrams.ts). */
import * as path from "path";
import { ConfigurationError } from "../src/config";
import { DIAGRAM_DIR, writeDiagrams } from "./lib/ops/diagrams";

const out = process.argv.indexOf("--out");
writeDiagrams(out >= 0 ? path.resolve(process.argv[out + 1]) : DIAGRAM_DIR).then(
  (written) => written.forEach(({ name, svg }) => console.log(`${name}: ${path.relative(process.cwd(), svg)}, .png`)),
  (error) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exit(1);
  },
);
