/**
 * The synthesis cache (src/synth/cache.ts): a settings variant is synthesized once for
 * every process that asks for it, keyed by content, and bad settings are refused cached or not.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigurationError } from "../src/validation";
import { cachedStacks, cachedText, synthesisKey } from "../src/synth/cache";
import { projectSettings, synthesize } from "../src/synth/synthesize";

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
    const whole = synthesize({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "synth-cache-")), settings }).stacks;
    // dev has no standby: only the stacks the settings produce are there
    expect([...cached.keys()]).toEqual(["dev"]);
    expect(cached.get("dev")).toBe(fs.readFileSync(whole.find((s) => s.name === "dev")!.file, "utf8"));
  });

  test("GIVEN invalid settings WHEN stacks are asked for THEN the ConfigurationError is thrown every time, nothing cached", () => {
    const bad = [...projectSettings(), { environments: { dev: { service: { desiredCount: -1 } } } }];
    for (let attempt = 0; attempt < 2; attempt += 1) expect(() => cachedStacks(bad, ["dev"])).toThrow(ConfigurationError);
  });
});
