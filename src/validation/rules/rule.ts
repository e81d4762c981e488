import type { Problem } from "../../config/problem";
import type { DeepPartial } from "../../config/presets";
import type { EnvironmentConfig } from "../../config/schema";

/**
 * A rule that relates several settings; field-level rules are in the schema, a construct's input
 * rules beside the construct. `given`: what the deployment's settings themselves set for the
 * environment (no preset), for a rule about a setting that would do nothing.
 */
export type Rule = (config: EnvironmentConfig, given: DeepPartial<EnvironmentConfig>) => Problem[];
