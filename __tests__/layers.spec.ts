/**
 * The layers of layers.json hold: every file tsconfig.json includes is in one layer, imports
 * point down (or within the layer), nothing imports an entry point, and no import cycle exists,
 * type-only imports included. Imports are read by the TypeScript compiler's own pre-processor
 * (`import`, `import type`, `export ... from`, `import()`, `require()`) and resolved as tsc does.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../src/config/deployment";

interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
  readonly entryPoints?: boolean;
}

const LAYERS: readonly Layer[] = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "layers.json"), "utf8")).layers;

/** `dir/` matches everything below dir, `*` any name within one directory, anything else one file. */
function matches(pattern: string, file: string): boolean {
  if (pattern.endsWith("/")) return file.startsWith(pattern);
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  return regex.test(file);
}

/** The indexes of the layers a project file (relative to the root) belongs to. */
const layersOf = (file: string) => LAYERS.flatMap((layer, i) => (layer.paths.some((p) => matches(p, file)) ? [i] : []));

/** Every file tsconfig.json includes, relative to the root, with the project files it imports. */
function importGraph(): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(PROJECT_ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error("tsconfig.json could not be read");
  const relative = (file: string) => path.relative(PROJECT_ROOT, file).split(path.sep).join("/");
  return new Map(
    config.fileNames.map((file) => {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
      const targets = importedFiles
        .map(({ fileName }) => ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule)
        .filter((resolved): resolved is ts.ResolvedModuleFull => resolved !== undefined && !resolved.isExternalLibraryImport)
        .map((resolved) => relative(resolved.resolvedFileName));
      return [relative(file), [...new Set(targets)]];
    }),
  );
}

/** The strongly connected components with more than one file (or a file importing itself): the cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      for (let member = stack.pop()!; ; member = stack.pop()!) {
        component.push(member);
        if (member === file) break;
      }
      if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

test("layers.json names each layer once, lowest first, every one with a path", () => {
  // GIVEN the layer definition WHEN its names and paths are read
  const names = LAYERS.map((layer) => layer.name);
  // THEN no name repeats and no layer is empty
  expect(new Set(names).size).toBe(names.length);
  expect(LAYERS.filter((layer) => layer.paths.length === 0)).toEqual([]);
});

test("every TypeScript file of the project is in exactly one layer", () => {
  // GIVEN every file tsconfig.json includes WHEN each is matched against the layers
  const misplaced = [...graph.keys()].filter((file) => layersOf(file).length !== 1).map((file) => `${file}: in ${layersOf(file).length} layers`);
  // THEN each matches one (a new folder needs its place in layers.json)
  expect(misplaced).toEqual([]);
});

test("imports point down: a file imports its own layer or one below, type-only imports included", () => {
  // GIVEN every import between project files WHEN the importer's layer is compared with the imported file's
  const upward = edges
    .filter(({ from, to }) => layersOf(to)[0] > layersOf(from)[0])
    .map(({ from, to }) => `${from} (${LAYERS[layersOf(from)[0]].name}) imports ${to} (${LAYERS[layersOf(to)[0]].name})`);
  // THEN none reaches up
  expect(upward).toEqual([]);
});

test("nothing imports an entry point: a command runs when it is loaded", () => {
  // GIVEN the layers of entry points WHEN the imports of project files are listed
  const imported = edges.filter(({ to }) => LAYERS[layersOf(to)[0]].entryPoints).map(({ from, to }) => `${from} imports ${to}`);
  // THEN none of them is an entry point
  expect(imported).toEqual([]);
});

test("no import cycle, type-only imports included", () => {
  // GIVEN the import graph of every project file WHEN its strongly connected components are found
  // THEN each is one file: no file reaches itself through its imports
  expect(cycles(graph)).toEqual([]);
});

test("the check sees type-only imports and finds a cycle through them", () => {
  // GIVEN two files that import each other, one of them by `import type`
  const a = ts.preProcessFile('import type { B } from "./b";\nexport const a = 1;', true, true).importedFiles.map((f) => f.fileName);
  const graphOfTwo = new Map([
    ["a.ts", a.map(() => "b.ts")],
    ["b.ts", ["a.ts"]],
  ]);
  // WHEN their cycles are looked for THEN the type-only import counts
  expect(a).toEqual(["./b"]);
  expect(cycles(graphOfTwo)).toEqual([["a.ts", "b.ts"]]);
});
