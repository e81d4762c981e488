import * as fs from "fs";
import * as path from "path";
import { SIZE_PRESETS, type SizeName } from "../src/config/sizes";
import { estimateEnvironment } from "../tools/lib/ops/cost";
import { baselineJson, COST_OPTIONS, DR_MODES, drJson, environmentJson, loadUsage, sizeSettings } from "../tools/lib/ops/estimate";
import { FREE_TYPES, PRICED_TYPES, typesOf, unpricedTypes } from "../tools/lib/ops/resource-types";
import { appStacks } from "./helpers";

/** The stacks of the settings variants that create every kind of resource the constructs know. */
function variantStacks(): [string, Record<string, any>][] {
  const stacks: [string, Record<string, any>][] = [...appStacks()].map(([name, json]) => [`committed ${name}`, json]);
  for (const size of Object.keys(SIZE_PRESETS) as SizeName[]) {
    for (const environment of ["dev", "prod"]) stacks.push([`${environment} at ${size}`, environmentJson(environment, sizeSettings(environment, size))]);
    stacks.push([`prod-dr at ${size}`, drJson("prod", sizeSettings("prod", size))]);
  }
  for (const option of COST_OPTIONS) stacks.push([`dev with ${option.name}`, environmentJson("dev", { environments: { dev: option.settings } })]);
  for (const mode of DR_MODES) stacks.push([`prod-dr in ${mode}`, drJson("prod", { environments: { prod: { dr: { mode } } } })]);
  stacks.push(["prod replicating its backups", environmentJson("prod", { environments: { prod: { database: { replicateBackupsToDr: true } } } })]);
  stacks.push(["baseline", baselineJson()]);
  return stacks;
}

describe("the cost estimate cannot miss a resource", () => {
  const stacks = variantStacks();

  test("GIVEN every stack of the settings variants WHEN their types are collected THEN each is priced or free with a reason", () => {
    const missing = stacks.flatMap(([name, json]) => unpricedTypes(json).map((type) => `${name}: ${type}`));
    expect(missing).toEqual([]);
  });

  test("GIVEN the provider classes the constructs import THEN each Terraform type is priced or free", () => {
    const sources = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const imported = new Set(
      sources(path.join(__dirname, "..", "src")).flatMap((file) =>
        [...fs.readFileSync(file, "utf8").matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g)].map((m) => m[1]),
      ),
    );
    imported.delete("provider");
    const types = [...imported].map((lib) => (lib.startsWith("data-aws-") ? `data.${lib.slice(5).replace(/-/g, "_")}` : `aws_${lib.replace(/-/g, "_")}`));
    expect(types.filter((type) => PRICED_TYPES[type] === undefined && FREE_TYPES[type] === undefined)).toEqual([]);
  });

  test("no type is both priced and free, and every free type says why", () => {
    expect(Object.keys(PRICED_TYPES).filter((type) => FREE_TYPES[type] !== undefined)).toEqual([]);
    expect(Object.entries(FREE_TYPES).filter(([, reason]) => reason.trim().length < 10)).toEqual([]);
  });

  test("GIVEN a stack with a type in neither table WHEN it is estimated THEN the estimate refuses it, naming the type and the fix", () => {
    const json = environmentJson("dev");
    const withUnknown = { ...json, resource: { ...json.resource, aws_instance: { bastion: { instance_type: "t3.micro" } } } };
    expect(() => estimateEnvironment(withUnknown, loadUsage())).toThrow(/no price for aws_instance: .*PRICED_TYPES.*FREE_TYPES/);
  });

  test("the variants reach the optional types (Aurora, cache, backups to DR), so the check is not vacuous", () => {
    const all = new Set(stacks.flatMap(([, json]) => typesOf(json)));
    for (const type of [
      "aws_rds_cluster_instance",
      "aws_elasticache_replication_group",
      "aws_db_instance_automated_backups_replication",
      "aws_guardduty_detector",
    ])
      expect(all).toContain(type);
  });
});
