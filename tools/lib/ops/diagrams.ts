/**
 * The pictures of `npm run diagram`: each environment the settings declare, from its
 * synthesized configuration, laid out by Graphviz (compiled to WebAssembly, @viz-js/viz):
 * <dir>/<env>.svg and .png, docs/diagrams by default.
 */
import { Resvg } from "@resvg/resvg-js";
import { instance } from "@viz-js/viz";
import * as fs from "fs";
import * as path from "path";
import { environmentDot } from "./diagram";
import { configOf, deploymentEnvironments, drJson, environmentJson, sizeSettings } from "./estimate";
import { drStackName } from "../../../src/config/naming";
import { PROJECT_ROOT } from "../../../src/validation/deployment";
import { REVIEW_DIR } from "../terraform/harness";

/** The committed pictures the documents show (`npm run diagram -- --docs`). */
export const DIAGRAM_DIR = path.join(PROJECT_ROOT, "docs", "diagrams");

/** Where `npm run diagram` writes by default: beside the other review output, git-ignored. */
export const REVIEW_DIAGRAM_DIR = path.join(REVIEW_DIR, "diagrams");

/**
 * Where `npm run diagram [-- --out <dir> | --docs]` writes for its arguments `argv`: review/diagrams
 * by default, docs/diagrams for `--docs`, `<dir>` for `--out <dir>`; for anything else, the
 * message that refuses them with the usage.
 */
export function diagramOutput(argv: readonly string[]): { readonly dir: string } | { readonly refused: string } {
  if (argv.length === 0) return { dir: REVIEW_DIAGRAM_DIR };
  if (argv.length === 1 && argv[0] === "--docs") return { dir: DIAGRAM_DIR };
  if (argv.length === 2 && argv[0] === "--out") return { dir: path.resolve(argv[1]) };
  return { refused: `npm run diagram: unknown or incomplete arguments: ${argv.join(" ")}. Usage: npm run diagram [-- --out <dir> | --docs]` };
}

/** Pictures of an environment at another size than its settings', by file name: prod at the seed's last step. */
export const SIZE_DIAGRAMS = { "prod-100000-users": { environment: "prod", size: "100000-users" } } as const;

type DiagramSize = (typeof SIZE_DIAGRAMS)[keyof typeof SIZE_DIAGRAMS]["size"];

/** The DOT source of an environment's diagram (at `size`, settled), with its DR standby when it has one. */
export function diagramDot(environment: string, size?: DiagramSize): string {
  const settings = size ? sizeSettings(environment, size) : {};
  const standby = configOf(environment, settings).dr.enabled ? { stack: drStackName(environment), json: drJson(environment, settings) } : undefined;
  return environmentDot(size ? `${environment} at ${size}` : environment, environmentJson(environment, settings), standby);
}

/** The SVG of an environment's diagram. */
export async function environmentSvg(environment: string, size?: DiagramSize): Promise<string> {
  const viz = await instance();
  return viz.renderString(diagramDot(environment, size), { format: "svg" });
}

/** Writes a file whole or not at all, so a reader (the diagram test) never sees it half-written. */
function writeAtomically(file: string, content: string | Buffer): void {
  fs.writeFileSync(`${file}.tmp-${process.pid}`, content);
  fs.renameSync(`${file}.tmp-${process.pid}`, file);
}

/**
 * Writes the SVG and PNG of every environment the settings declare into `dir`, and of the sized
 * pictures (SIZE_DIAGRAMS) whose environment is declared; returns what it wrote.
 */
export async function writeDiagrams(dir: string): Promise<{ name: string; svg: string; png: string }[]> {
  fs.mkdirSync(dir, { recursive: true });
  const environments = deploymentEnvironments();
  const pictures: { name: string; environment: string; size?: DiagramSize }[] = [
    ...environments.map((environment) => ({ name: environment, environment })),
    ...Object.entries(SIZE_DIAGRAMS)
      .filter(([, { environment }]) => environments.includes(environment))
      .map(([name, { environment, size }]) => ({ name, environment, size })),
  ];
  const written: { name: string; svg: string; png: string }[] = [];
  for (const { name, environment, size } of pictures) {
    const svg = await environmentSvg(environment, size);
    const files = { name, svg: path.join(dir, `${name}.svg`), png: path.join(dir, `${name}.png`) };
    writeAtomically(files.svg, svg);
    writeAtomically(
      files.png,
      new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } })
        .render()
        .asPng(),
    );
    written.push(files);
  }
  return written;
}
