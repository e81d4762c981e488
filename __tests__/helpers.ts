import { Testing } from "cdktf";
import { resolveEnvironment, type DeploymentSettings, type EnvironmentConfig } from "../src/config";
import { committedSettings } from "../src/config/deployment";
import { EnvironmentStack } from "../src/stacks/environment-stack";

/** How synthesized ARNs begin: the partition comes from `data.aws_partition` (src/constructs/context.ts). */
export const ARN = "arn:${data.aws_partition.partition.partition}";

/** The settings committed in cdktf.json, as a newcomer synthesizes them. */
export const COMMITTED: DeploymentSettings = committedSettings();

/** The validated configuration of an environment with extra settings over the committed ones. */
export function configOf(environment: string, settings: DeploymentSettings = {}): EnvironmentConfig {
  return resolveEnvironment(environment, COMMITTED, settings);
}

export interface SynthesizedEnvironment {
  readonly stack: EnvironmentStack;
  /** The stack's Terraform JSON as a string, for cdktf's matchers. */
  readonly synthesized: string;
  /** The same, parsed. */
  readonly json: TerraformJson;
}

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  terraform: Record<string, any>;
  provider: Record<string, Record<string, unknown>[]>;
}

/** Synthesizes one environment stack in isolation. */
export function synthEnvironment(environment: string, settings: DeploymentSettings = {}): SynthesizedEnvironment {
  const app = Testing.app();
  const stack = new EnvironmentStack(app, environment, { config: configOf(environment, settings) });
  const synthesized = Testing.synth(stack);
  return { stack, synthesized, json: JSON.parse(synthesized) };
}

/** The resources of one Terraform type, by name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, any>> {
  return (json.resource[type] ?? {}) as Record<string, Record<string, any>>;
}

/** One resource by Terraform type and name; fails the test when absent. */
export function resource(json: TerraformJson, type: string, name: string): Record<string, any> {
  const found = resourcesOf(json, type)[name];
  if (!found) throw new Error(`${type}.${name} is not in the stack; it has: ${Object.keys(resourcesOf(json, type)).join(", ") || "none"}`);
  return found;
}

/** A policy document data source, by name. */
export function policyDocument(json: TerraformJson, name: string): { statement: any[] } {
  const doc = json.data?.aws_iam_policy_document?.[name];
  if (!doc) throw new Error(`data.aws_iam_policy_document.${name} is not in the stack`);
  return doc as { statement: any[] };
}
