/**
 * docs/architecture.md's layout (a generated section): the code's layers as layers.json declares
 * them, lowest first, with their paths and why; then what else the repository holds, read from
 * the tree (the terraform test folders by name), so the map follows the folders.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../src/validation/deployment";

/** One layer of layers.json. */
export interface Layer {
  readonly name: string;
  /** Why it is a layer: what its files hold. */
  readonly why?: string;
  /** `dir/` (everything below), `dir/*.ts` (one directory) or one file. */
  readonly paths: readonly string[];
  /** Its files run when loaded (commands): nothing may import them. */
  readonly entryPoints?: boolean;
}

/** The layers of `root`'s layers.json, lowest first. */
export function readLayers(root: string): Layer[] {
  return (JSON.parse(fs.readFileSync(path.join(root, "layers.json"), "utf8")) as { layers: Layer[] }).layers;
}

/** Repository entries outside the code's layers, and what they hold. */
const OTHER_ENTRIES: readonly (readonly [string, string])[] = [
  ["cdktf.json", "the app command and the settings the team shares (context.deployment)"],
  ["environments/", "the team's environments, one file each (<name>.json), all read by every synthesis"],
  ["security/", "exceptions.json: the scanner findings accepted, each with its reason (checkov baselines)"],
  ["change-acknowledgements.json", "reasoned acknowledgements of the change review's blocking flags, one change each"],
  ["docs/", "the documents; diagrams/ (npm run diagram -- --docs); ci/ (the pipeline to copy)"],
  [".ci/run", "what CI runs: npm ci, then npm test"],
];

/** The layout as a code block: one line per layer path, then the other entries. */
export function layoutReference(root = PROJECT_ROOT): string {
  const rows: [string, string][] = readLayers(root).flatMap((layer) =>
    layer.paths.map((p, i): [string, string] => [p, i === 0 ? `${layer.name}: ${layer.why ?? ""}` : `(${layer.name})`]),
  );
  const testFolders = fs
    .readdirSync(path.join(root, "tests", "terraform"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${entry.name}/`)
    .sort();
  rows.push(
    ["tests/terraform/", `terraform test files (HCL), a folder per stack or kind: ${testFolders.join(", ")}`],
    ...OTHER_ENTRIES.map(([p, what]): [string, string] => [p, what]),
  );
  const width = Math.max(...rows.map(([p]) => p.length)) + 2;
  return ["```", ...rows.map(([p, what]) => `${p.padEnd(width)}${what}`), "```"].join("\n");
}
