/**
 * The synthesis cache (src/synth/cache.ts): a settings variant is synthesized once for
 * every process that asks for it, keyed by content, and bad settings are refused cached or not.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigurationError } from "../src/validation";
import { cachedStacks, cachedSynthesis, cachedText, synthesisKey } from "../src/synth/cache";
import { projectSettings, synthesize } from "../src/synth/synthesize";

/** Every file under `dir`, by its path relative to it, with its content. */
const filesUnder = (dir: string) =>
  new Map(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((file) => fs.statSync(path.join(dir, file)).isFile())
      .sort()
      .map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")]),
  );

/** One synthesis of every stack with the committed settings, into WHOLE, for the tests that compare the cache with it. */
const WHOLE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "synth-cache-")), "whole");
let wholeSynthesis: ReturnType<typeof synthesize> | undefined;
const whole = () => (wholeSynthesis ??= synthesize({ outdir: WHOLE, settings: projectSettings() }));

describe("the synthesis cache", () => {
  test("GIVEN a text computed for some parts WHEN the same parts are asked for again THEN it is not computed again; other parts are", () => {
    const parts = ["synth-cache.spec", process.pid, Date.now()];
    let computed = 0;
    const compute = () => `text ${(computed += 1)}`;
    expect(cachedText(parts, compute)).toBe("text 1");
    expect(cachedText(parts, compute)).toBe("text 1");
    expect(computed).toBe(1);
    expect(cachedText([...parts, "other"], compute)).toBe("text 2");
    expect(synthesisKey(parts)).not.toBe(synthesisKey([...parts, "other"]));
  });

  test("GIVEN the committed settings WHEN dev and its standby are read from the cache THEN they are byte-identical to a synthesis of every stack", () => {
    const settings = projectSettings();
    const cached = cachedStacks(settings, ["dev", "dev-dr"]);
    // dev has no standby: only the stacks the settings produce are there
    expect([...cached.keys()]).toEqual(["dev"]);
    expect(cached.get("dev")).toBe(fs.readFileSync(whole().stacks.find((s) => s.name === "dev")!.file, "utf8"));
  });

  test("GIVEN the committed settings WHEN synthesized through the cache THEN it writes every file synthesize writes, byte for byte, and returns the same stacks", () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "synth-cache-")), "out");
    const cached = cachedSynthesis({ outdir, settings: projectSettings() });
    const [written, expected] = [filesUnder(outdir), filesUnder((whole(), WHOLE))];
    expect([...written.keys()]).toEqual([...expected.keys()]);
    expect([...written].filter(([file, text]) => expected.get(file) !== text).map(([file]) => file)).toEqual([]);
    const relative = (root: string) => (s: { name: string; file: string; isEnvironment: boolean }) => ({ ...s, file: path.relative(root, s.file) });
    expect(cached.stacks.map(relative(outdir))).toEqual(whole().stacks.map(relative(WHOLE)));
    expect(cached.deployment).toEqual(whole().deployment);
    // cachedStacks reads the same entry: every stack's text as written
    expect(Object.fromEntries(cachedStacks(projectSettings()))).toEqual(
      Object.fromEntries(cached.stacks.map((s) => [s.name, written.get(path.join("stacks", s.name, "cdk.tf.json"))])),
    );
  });

  test("GIVEN invalid settings WHEN stacks are asked for THEN the ConfigurationError is thrown every time, nothing cached", () => {
    const bad = [...projectSettings(), { environments: { dev: { service: { desiredCount: -1 } } } }];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(() => cachedStacks(bad, ["dev"])).toThrow(ConfigurationError);
      expect(() => cachedSynthesis({ outdir: path.join(os.tmpdir(), "synth-cache-never-written"), settings: bad })).toThrow(ConfigurationError);
    }
  });
});
