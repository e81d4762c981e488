/**
 * `npm run diagram [-- --out <dir>]`: a picture of each environment the settings declare, from
 * its synthesized configuration, laid out by Graphviz (compiled to WebAssembly, @viz-js/viz):
 * <dir>/<env>.svg and .png, docs/diagrams by default.
 */
import { Resvg } from "@resvg/resvg-js";
import { instance } from "@viz-js/viz";
import * as fs from "fs";
import * as path from "path";
import { environmentDot } from "./review/diagram";
import { configOf, deploymentEnvironments, drJson, environmentJson } from "./review/estimate";
import { ConfigurationError } from "../src/config";
import { drStackName } from "../src/naming";
import { ROOT } from "./offline/terraform";

export const DIAGRAM_DIR = path.join(ROOT, "docs", "diagrams");

/** The DOT source of an environment's diagram, with its DR standby when it has one. */
export function diagramDot(environment: string): string {
  const standby = configOf(environment).dr.enabled ? { stack: drStackName(environment), json: drJson(environment) } : undefined;
  return environmentDot(environment, environmentJson(environment), standby);
}

/** The SVG of an environment's diagram. */
export async function environmentSvg(environment: string): Promise<string> {
  const viz = await instance();
  return viz.renderString(diagramDot(environment), { format: "svg" });
}

/** Writes a file whole or not at all, so a reader (the diagram test) never sees it half-written. */
function writeAtomically(file: string, content: string | Buffer): void {
  fs.writeFileSync(`${file}.tmp-${process.pid}`, content);
  fs.renameSync(`${file}.tmp-${process.pid}`, file);
}

/** Writes the SVG and PNG of every environment the settings declare into `dir`; returns what it wrote. */
export async function writeDiagrams(dir = DIAGRAM_DIR): Promise<{ environment: string; svg: string; png: string }[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: { environment: string; svg: string; png: string }[] = [];
  for (const environment of deploymentEnvironments()) {
    const svg = await environmentSvg(environment);
    const files = { environment, svg: path.join(dir, `${environment}.svg`), png: path.join(dir, `${environment}.png`) };
    writeAtomically(files.svg, svg);
    writeAtomically(files.png, new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng());
    written.push(files);
  }
  return written;
}

async function main(argv: string[]): Promise<void> {
  const out = argv.indexOf("--out");
  const dir = out >= 0 ? path.resolve(argv[out + 1]) : DIAGRAM_DIR;
  for (const { environment, svg } of await writeDiagrams(dir)) console.log(`${environment}: ${path.relative(process.cwd(), svg)}, .png`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof ConfigurationError ? error.message : error);
    process.exit(1);
  });
}
