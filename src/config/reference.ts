/**
 * The settings as a list of dotted paths, from the schema: what the settings reference
 * (tools/lib/docs/settings-reference.ts) documents and what security/exceptions.json may name.
 */
import { z } from "zod";

/** Every setting that holds a value (not a group of settings), with its dotted path. */
export function settingLeaves(schema: z.ZodObject, prefix = ""): { path: string; schema: z.ZodType }[] {
  return Object.entries(schema.shape).flatMap(([key, child]) => {
    const path = `${prefix}${key}`;
    const inner = child instanceof z.ZodOptional ? child.unwrap() : child;
    return inner instanceof z.ZodObject ? settingLeaves(inner, `${path}.`) : [{ path, schema: child as z.ZodType }];
  });
}
