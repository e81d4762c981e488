/**
 * docs/ci/README.md's table of the pipeline roles' permissions, generated from the statements the
 * ci stack synthesizes (PipelineRoles), so the document cannot drift from the policies.
 */
import { DefaultTokenResolver, StringConcat, Testing, Tokenization } from "cdktf";
import { buildApp } from "../../../src/stacks/app";
import type { DeploymentSettings } from "../../../src/validation";
import { resolveDeployment } from "../../../src/validation/deployment";
import { CiStack } from "../../../src/stacks/ci-stack";

const cell = (text: string) => text.replace(/\|/g, "\\|");
const partitionFree = (arn: string) => arn.replace(/\$\{data\.aws_partition\.partition\.partition\}/g, "aws");

/** One row per statement of each role of `environment`, with its actions, resources and reason. */
export function pipelineRolesReference(committed: DeploymentSettings, environment = "prod"): string {
  const app = Testing.app();
  buildApp(app, resolveDeployment([committed]));
  const stack = app.node.tryFindChild("ci");
  if (!(stack instanceof CiStack)) throw new Error("the committed settings have no ci stack: set ci.githubRepository");
  // Tokens (the partition) resolve to their Terraform references, shown as the aws partition.
  const byRole = Tokenization.resolve(stack.roles[environment].statements, {
    scope: stack,
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as (typeof stack.roles)[string]["statements"];
  const rows = Object.entries(byRole).flatMap(([role, statements]) =>
    statements.map((s) => {
      const conditions = (s.condition ?? []) as { test: string; variable: string; values: string[] }[];
      const condition = conditions.map((c) => `${c.variable} ${c.test} ${c.values.join(", ")}`).join("; ");
      const resources = (s.resources ?? []).map((r) => `\`${partitionFree(r)}\``).join(", ");
      return `| ${role} | ${s.sid} | ${(s.actions ?? []).map((a) => `\`${a}\``).join(", ")} | ${resources}${condition ? ` (when ${cell(partitionFree(condition))})` : ""} | ${cell(s.why)} |`;
    }),
  );
  return [
    `Environment \`${environment}\` (every environment's roles have the same statements with its own names):`,
    "",
    "| Role | Statement | Actions | Resources | Why |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
