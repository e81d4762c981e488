/**
 * The app's bundle and V8 code cache (tools/app.cjs) are keyed by the content of what they are
 * built from (src/synth/source-hash.cjs). V8 checks a code cache against its source's length only, so
 * a cache keyed by anything less would run the previous code after an edit that keeps a length.
 */
import * as fs from "fs";
import * as path from "path";
import { copyOfApp, runApp } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sourceFiles, sourceHash } = require("../src/synth/source-hash.cjs") as {
  sourceFiles: (root?: string) => string[];
  sourceHash: (root?: string) => string;
};

/** Runs the app as cdktf.json does in `root` and returns prod's database engine version. */
function synthesizedEngineVersion(root: string): string {
  const outdir = runApp(root);
  const prod = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8")) as {
    resource: { aws_db_instance: Record<string, { engine_version: string }> };
  };
  return Object.values(prod.resource.aws_db_instance)[0].engine_version;
}

describe("the app's build cache", () => {
  test("GIVEN a synthesized tree WHEN a source is edited keeping its length and its modification time THEN the next synthesis runs the edited code", () => {
    const root = copyOfApp("app-cache-");
    const presets = path.join(root, "src", "config", "presets.ts");
    const before = fs.readFileSync(presets, "utf8");
    expect(before).toContain('engineVersion: "15",');
    expect(synthesizedEngineVersion(root)).toBe("15");

    const { atime, mtime } = fs.statSync(presets);
    const edited = before.replace('engineVersion: "15",', 'engineVersion: "16",');
    expect(edited.length).toBe(before.length);
    fs.writeFileSync(presets, edited);
    fs.utimesSync(presets, atime, mtime);

    expect(synthesizedEngineVersion(root)).toBe("16");
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("GIVEN the sources WHEN one byte of any of them changes THEN the key changes, and it is the same for the same content", () => {
    const root = copyOfApp("app-cache-");
    const key = sourceHash(root);
    expect(sourceHash(root)).toBe(key);
    expect(sourceFiles(root)).toEqual(
      expect.arrayContaining([
        "main.ts",
        "backend.ts",
        path.join("src", "config", "presets.ts"),
        path.join("tools", "app.cjs"),
        path.join("src", "synth", "source-hash.cjs"),
      ]),
    );
    for (const file of ["backend.ts", path.join("src", "synth", "synthesize.ts"), path.join("tools", "app.cjs")]) {
      const absolute = path.join(root, file);
      const content = fs.readFileSync(absolute, "utf8");
      fs.writeFileSync(absolute, content.replace(/;\n/, ";\r"));
      expect({ file, changed: sourceHash(root) !== key }).toEqual({ file, changed: true });
      fs.writeFileSync(absolute, content);
    }
    expect(sourceHash(root)).toBe(key);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
