/**
 * The layers of layers.json hold: every file tsconfig.json includes is in one layer, imports
 * point down (or within the layer), nothing imports an entry point, and no import cycle exists,
 * type-only imports included. Imports are read by the TypeScript compiler's own pre-processor
 * (`import`, `import type`, `export ... from`, `import()`, `require()`) and resolved as tsc does.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

import { type Layer, readLayers } from "../docs/layout";

export { type Layer, readLayers };

/** `dir/` matches everything below dir, `*` any name within one directory, anything else one file. */
export function matches(pattern: string, file: string): boolean {
  if (pattern.endsWith("/")) return file.startsWith(pattern);
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  return regex.test(file);
}

/** The project's TypeScript files (what tsconfig.json includes), absolute, with its compiler options. */
export function projectFiles(root: string): { files: string[]; options: ts.CompilerOptions } {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error("tsconfig.json could not be read");
  return { files: config.fileNames, options: config.options };
}

/** A path relative to `root`, with forward slashes. */
export const relativeTo = (root: string, file: string) => path.relative(root, file).split(path.sep).join("/");

/** Every file tsconfig.json includes, relative to the root, with the project files it imports. */
export function importGraph(root: string): Map<string, string[]> {
  const { files, options } = projectFiles(root);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
      const targets = importedFiles
        .map(({ fileName }) => ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule)
        .filter((resolved): resolved is ts.ResolvedModuleFull => resolved !== undefined && !resolved.isExternalLibraryImport)
        .map((resolved) => relativeTo(root, resolved.resolvedFileName));
      return [relativeTo(root, file), [...new Set(targets)]];
    }),
  );
}

/** The strongly connected components with more than one file (or a file importing itself): the cycles. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
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

/** Files at the top level that the product's design card fixes there: a layer may name them although they are no folder. */
export const TOP_LEVEL_FILES = ["backend.ts"];

/** Everything wrong with `graph` against `layers`: each a sentence naming the files and the layers. */
export function layerProblems(layers: readonly Layer[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const layersOf = (file: string) => layers.flatMap((layer, i) => (layer.paths.some((p) => matches(p, file)) ? [i] : []));
  const names = layers.map((layer) => layer.name);
  const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
  const placed = (file: string) => layersOf(file).length === 1;
  return [
    ...names.filter((name, i) => names.indexOf(name) !== i).map((name) => `layers.json names the layer "${name}" twice`),
    ...layers.filter((layer) => layer.paths.length === 0).map((layer) => `layers.json: the layer "${layer.name}" has no path`),
    ...layers
      .filter((layer) => !layer.entryPoints)
      .flatMap((layer) => layer.paths.filter((p) => !p.endsWith("/") && !TOP_LEVEL_FILES.includes(p)).map((p) => ({ layer, p })))
      .map(
        ({ layer, p }) =>
          `layers.json: the layer "${layer.name}" names the file ${p}; name folders only: move the file into a folder of that layer (each folder is one layer)`,
      ),
    ...[...graph.keys()]
      .filter((file) => !placed(file))
      .map((file) => `${file}: in ${layersOf(file).length} layers (a new folder needs its place in layers.json)`),
    ...edges
      .filter(({ from, to }) => placed(from) && placed(to) && layersOf(to)[0] > layersOf(from)[0])
      .map(({ from, to }) => `${from} (${layers[layersOf(from)[0]].name}) imports ${to} (${layers[layersOf(to)[0]].name}), a layer above it`),
    ...edges
      .filter(({ to }) => placed(to) && layers[layersOf(to)[0]].entryPoints)
      .map(({ from, to }) => `${from} imports ${to}, an entry point (it runs when loaded)`),
    ...cycles(graph).map((cycle) => `import cycle: ${cycle.join(" -> ")}`),
  ];
}
