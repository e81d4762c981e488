import { z } from "zod";
import { refusal } from "./messages";
import type { DeepPartial } from "./presets";

/**
 * Keyless CI identities (seed "Deployment Flow"): GitHub Actions' OIDC provider and, per
 * environment, the roles a pipeline assumes. Off until a repository is named.
 */
export const ciSchema = z.strictObject({
  githubRepository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, refusal('must be "owner/repository"', 'write e.g. "university/mh-dashboard"'))
    .optional()
    .meta({ description: "The GitHub repository whose workflows may assume the CI roles (owner/name); unset turns the ci stack off." }),
  mainBranch: z
    .string()
    .regex(/^[A-Za-z0-9_./-]+$/, refusal("must be a branch name", 'write e.g. "main"'))
    .meta({ description: "The protected branch that publishes images and deploys environments without protectData (dev)." }),
  createOidcProvider: z.boolean().meta({
    description:
      "Create the account's GitHub OIDC provider; false when the account already has one (there is one per issuer URL per account), which the roles then trust by its ARN.",
  }),
});

export type CiConfig = z.infer<typeof ciSchema>;
export type CiSettings = DeepPartial<CiConfig>;

export const CI_DEFAULTS: CiConfig = {
  mainBranch: "main",
  createOidcProvider: true,
};
