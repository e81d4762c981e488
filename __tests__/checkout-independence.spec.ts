/**
 * What `npm run synth` writes does not depend on where the project is checked out: two clones
 * synthesize byte-identical stacks, so a review, a diff between machines or a cache keyed by
 * content sees no change that is only a path.
 */
import * as fs from "fs";
import * as path from "path";
import { copyOfApp, runApp } from "./helpers";

const copies: string[] = [];
afterAll(() => {
  for (const root of copies) fs.rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir`, by its path relative to it, with its content. */
function filesUnder(dir: string): Map<string, string> {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

/** `file:line: a | b` at the first line where `a` and `b` differ. */
function firstDifference(file: string, a: string, b: string): string {
  const [linesA, linesB] = [a.split("\n"), b.split("\n")];
  const i = linesA.findIndex((line, n) => line !== linesB[n]);
  return `${file}:${i + 1}: ${linesA[i]?.trim()} | ${linesB[i]?.trim()}`;
}

test("GIVEN two copies of the project in different directories WHEN each synthesizes THEN every file under stacks/ is byte-identical", () => {
  copies.push(copyOfApp("checkout-a-"), copyOfApp("checkout-b-"));
  const [a, b] = copies.map((root) => filesUnder(path.join(runApp(root), "stacks")));
  expect([...a.keys()]).toEqual(expect.arrayContaining([path.join("state", "cdk.tf.json"), path.join("prod", "cdk.tf.json")]));
  expect([...b.keys()]).toEqual([...a.keys()]);
  expect([...a].filter(([file, content]) => b.get(file) !== content).map(([file, content]) => firstDifference(file, content, b.get(file)!))).toEqual([]);
});
