/**
 * The settings reference in docs/settings.md, generated from the one place each fact lives:
 * names and descriptions from the schema (`.meta({ description })`), values from the presets,
 * and where the committed cdktf.json differs from a preset.
 */
import { z } from "zod";
import { mergeEnvironment } from "../../../src/validation";
import { BASELINE_DEFAULTS, baselineSchema } from "../../../src/config/baseline";
import { CI_DEFAULTS, ciSchema } from "../../../src/config/ci";
import { PRESETS } from "../../../src/config/presets";
import { environmentSchema } from "../../../src/config/schema";
import type { DeploymentSettings } from "../../../src/config/settings";
import { settingLeaves } from "../../../src/config/reference";

/** A schema's description, looking through `optional`. */
function descriptionOf(schema: z.ZodType): string | undefined {
  const own = schema.meta()?.description;
  if (own) return own;
  return schema instanceof z.ZodOptional ? descriptionOf(schema.unwrap() as z.ZodType) : undefined;
}

const valueAt = (value: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);

/** A value as the table shows it. */
function shown(value: unknown): string {
  if (value === undefined) return "none";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 48 ? "see `src/config/presets.ts`" : `\`${text.replace(/\|/g, "\\|")}\``;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The environment settings table: one row per setting, its dev and prod values and meaning. */
export function environmentReference(committed: DeploymentSettings): string {
  const [dev, prod] = ["dev", "prod"].map((e) => mergeEnvironment(e));
  const committedValues = Object.fromEntries(Object.keys(PRESETS).map((e) => [e, mergeEnvironment(e, committed)]));
  const rows = settingLeaves(environmentSchema)
    .filter(({ path }) => path !== "environment")
    .map(({ path, schema }) => {
      const description = descriptionOf(schema);
      if (!description) throw new Error(`setting ${path} has no description: add .meta({ description }) in src/config/schema.ts`);
      const devValue = shown(valueAt(dev, path));
      const prodValue = shown(valueAt(prod, path));
      const overrides = ["dev", "prod"]
        .filter((e) => JSON.stringify(valueAt(committedValues[e], path)) !== JSON.stringify(valueAt(e === "dev" ? dev : prod, path)))
        .map((e) => `${e}: ${shown(valueAt(committedValues[e], path))}`);
      const committedNote = overrides.length > 0 ? ` The committed settings set ${overrides.join(", ")}.` : "";
      return `| \`${path}\` | ${devValue} | ${prodValue === devValue ? "same" : prodValue} | ${cell(description)}${committedNote} |`;
    });
  return ["| Setting | dev preset | prod preset | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** The table of a settings section that is shared by the whole deployment (`baseline`, `ci`). */
function sharedReference(section: string, schema: z.ZodObject, defaults: object, committed: object | undefined): string {
  const rows = settingLeaves(schema).map(({ path, schema: setting }) => {
    const description = descriptionOf(setting);
    if (!description) throw new Error(`${section} setting ${path} has no description: add .meta({ description }) in src/config/${section}.ts`);
    const committedValue = valueAt(committed, path);
    const note =
      committedValue !== undefined && JSON.stringify(committedValue) !== JSON.stringify(valueAt(defaults, path))
        ? ` cdktf.json sets ${shown(committedValue)}.`
        : "";
    return `| \`${section}.${path}\` | ${shown(valueAt(defaults, path))} | ${cell(description)}${note} |`;
  });
  return ["| Setting | Default | Meaning |", "|---|---|---|", ...rows].join("\n");
}

/** The account baseline settings table. */
export function baselineReference(committed: DeploymentSettings = {}): string {
  return sharedReference("baseline", baselineSchema, BASELINE_DEFAULTS, committed.baseline);
}

/** The CI identity settings table. */
export function ciReference(committed: DeploymentSettings = {}): string {
  return sharedReference("ci", ciSchema, CI_DEFAULTS, committed.ci);
}
