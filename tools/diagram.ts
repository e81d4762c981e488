/**
 * `npm run diagram`: a picture of each environment from its synthesized configuration, laid out
 * by Graphviz (compiled to WebAssembly, @viz-js/viz): docs/diagrams/<env>.svg and .png.
 */
import { Resvg } from "@resvg/resvg-js";
import { instance } from "@viz-js/viz";
import * as fs from "fs";
import * as path from "path";
import { environmentDot } from "./review/diagram";
import { configOf, drJson, environmentJson, sizeSettings } from "./review/estimate";
import { drStackName } from "../src/naming";
import { ROOT } from "./offline/terraform";

export const DIAGRAM_DIR = path.join(ROOT, "docs", "diagrams");

/** Pictures of an environment at another size than its settings', by file name: prod at the seed's last step. */
export const SIZE_DIAGRAMS = { "prod-100000-users": { environment: "prod", size: "100000-users" } } as const;

/** The DOT source of an environment's diagram (at `size`, settled), with its DR standby when it has one. */
export function diagramDot(environment: string, size?: (typeof SIZE_DIAGRAMS)[keyof typeof SIZE_DIAGRAMS]["size"]): string {
  const settings = size ? sizeSettings(environment, size) : {};
  const standby = configOf(environment, settings).dr.enabled ? { stack: drStackName(environment), json: drJson(environment, settings) } : undefined;
  return environmentDot(size ? `${environment} at ${size}` : environment, environmentJson(environment, settings), standby);
}

/** The SVG of an environment's diagram. */
export async function environmentSvg(environment: string, size?: (typeof SIZE_DIAGRAMS)[keyof typeof SIZE_DIAGRAMS]["size"]): Promise<string> {
  const viz = await instance();
  return viz.renderString(diagramDot(environment, size), { format: "svg" });
}

/** Writes a file whole or not at all, so a reader (the diagram test) never sees it half-written. */
function writeAtomically(file: string, content: string | Buffer): void {
  fs.writeFileSync(`${file}.tmp-${process.pid}`, content);
  fs.renameSync(`${file}.tmp-${process.pid}`, file);
}

async function main(): Promise<void> {
  fs.mkdirSync(DIAGRAM_DIR, { recursive: true });
  for (const environment of ["dev", "prod"]) await write(environment, await environmentSvg(environment));
  for (const [name, { environment, size }] of Object.entries(SIZE_DIAGRAMS)) await write(name, await environmentSvg(environment, size));
}

/** Writes a picture as docs/diagrams/<name>.svg and .png. */
async function write(name: string, svg: string): Promise<void> {
  writeAtomically(path.join(DIAGRAM_DIR, `${name}.svg`), svg);
  const png = new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  writeAtomically(path.join(DIAGRAM_DIR, `${name}.png`), png);
  console.log(`${name}: ${path.relative(ROOT, DIAGRAM_DIR)}/${name}.svg, .png`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
