/**
 * One synthesis (src/synth/synthesize.ts): a synthesis of some stacks (the cost estimate's)
 * writes exactly what the whole synthesis writes for them. That nothing else creates a cdktf App
 * is a repository guard (npm run check, one-synthesis).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings, synthesize } from "../src/synth/synthesize";

test("GIVEN a synthesis of some stacks (the cost estimate's) WHEN compared with the whole synthesis THEN those stacks are byte-identical and no other is written", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "one-synthesis-"));
  const settings = projectSettings();
  const whole = cachedSynthesis({ outdir: path.join(scratch, "whole"), settings });
  const some = synthesize({ outdir: path.join(scratch, "some"), settings, stacks: ["prod", "prod-dr"] });
  expect(some.stacks.map((s) => s.name)).toEqual(["prod", "prod-dr"]);
  for (const stack of some.stacks) {
    expect(fs.readFileSync(stack.file, "utf8")).toBe(fs.readFileSync(whole.stacks.find((s) => s.name === stack.name)!.file, "utf8"));
  }
  expect(whole.stacks.length).toBeGreaterThan(some.stacks.length);
});
