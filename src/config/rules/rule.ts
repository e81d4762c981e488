import type { Problem } from "../problem";
import type { EnvironmentConfig } from "../schema";

/** A rule that relates several settings; field-level rules are in the schema, a construct's input rules beside the construct. */
export type Rule = (config: EnvironmentConfig) => Problem[];
