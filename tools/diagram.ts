/**
 * `npm run diagram`: a picture of each environment from its synthesized configuration, laid out
 * by Graphviz (compiled to WebAssembly, @viz-js/viz): docs/diagrams/<env>.svg and .png.
 */
import { Resvg } from "@resvg/resvg-js";
import { instance } from "@viz-js/viz";
import * as fs from "fs";
import * as path from "path";
import { environmentDot } from "./review/diagram";
import { configOf, drJson, environmentJson } from "./review/estimate";
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

async function main(): Promise<void> {
  fs.mkdirSync(DIAGRAM_DIR, { recursive: true });
  for (const environment of ["dev", "prod"]) {
    const svg = await environmentSvg(environment);
    writeAtomically(path.join(DIAGRAM_DIR, `${environment}.svg`), svg);
    const png = new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
    writeAtomically(path.join(DIAGRAM_DIR, `${environment}.png`), png);
    console.log(`${environment}: ${path.relative(ROOT, DIAGRAM_DIR)}/${environment}.svg, .png`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
