import { TerraformOutput } from "cdktf";
import { hasAurora } from "../validation/rules";
import type { Construct } from "constructs";
import type { CiConfig, EnvironmentConfig } from "../validation";
import { GithubOidcProvider, PipelineRoles } from "../constructs/pipeline-roles";
import { stateBucketName, stateKey, drStackName } from "../config/naming";
import { ProjectStack } from "./project-stack";

export interface CiStackProps {
  readonly ci: CiConfig & { readonly githubRepository: string };
  /** The environments of one account that the pipeline deploys; they share project, account and regions. */
  readonly environments: readonly EnvironmentConfig[];
  /** The role Terraform assumes in the account (provider and state backend). @default the deploying identity's own credentials */
  readonly deployRoleArn?: string;
  /** The account of the Terraform state bucket. @default the environments' account */
  readonly stateAccountId?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Keyless CI identities (seed "Deployment Flow"): GitHub's OIDC provider and, per environment,
 * the image-publisher, plan-reader and deployer roles. A stack of its own, applied by a person
 * once (like the state stack): a pipeline must not manage the roles it runs as, and the account
 * baseline can be switched off where an organization runs those services.
 */
export class CiStack extends ProjectStack {
  public readonly oidc: GithubOidcProvider;
  public readonly roles: Readonly<Record<string, PipelineRoles>>;

  constructor(scope: Construct, id: string, props: CiStackProps) {
    const [first] = props.environments;
    super(scope, id, {
      project: first.project,
      accountId: first.accountId,
      deployRoleArn: props.deployRoleArn,
      stateAccountId: props.stateAccountId,
      region: first.region,
      stateRegion: first.stateRegion,
      environment: id,
      tags: props.tags,
      state: { remote: id },
      protectData: true,
      nameSources: [
        { setting: "project", value: first.project },
        ...props.environments.map((env) => ({ setting: "the environment name", value: env.environment })),
      ],
    });
    const context = this.context;

    this.oidc = new GithubOidcProvider(this, "github", { context, create: props.ci.createOidcProvider });
    this.roles = Object.fromEntries(
      props.environments.map((env) => [
        env.environment,
        new PipelineRoles(this, env.environment, {
          context,
          environment: {
            name: env.environment,
            region: env.region,
            drRegion: env.stateRegion,
            protectedDeploys: env.protectData,
            stateBucket: stateBucketName(env.project, env.stateRegion, props.stateAccountId ?? env.accountId),
            stateKey: stateKey(env.project, env.environment),
            standbyStateKey: env.dr.enabled ? stateKey(env.project, drStackName(env.environment)) : undefined,
            aurora: hasAurora(env) || undefined,
            cache: env.cache.enabled || undefined,
            edgeFunction:
              env.edge.cloudfront.enabled &&
              env.dr.enabled &&
              env.dr.mode === "serving" &&
              env.dr.standbyTrafficPercent > 0 &&
              env.dr.failoverOrigin !== undefined
                ? true
                : undefined,
            workingHours: env.service.workingHours.enabled || undefined,
          },
          repository: props.ci.githubRepository,
          mainBranch: props.ci.mainBranch,
          oidcProviderArn: this.oidc.arn,
        }),
      ]),
    );
    for (const [env, roles] of Object.entries(this.roles)) {
      for (const [job, role] of [
        ["image_publisher", roles.imagePublisher],
        ["plan_reader", roles.planReader],
        ["deployer", roles.deployer],
      ] as const) {
        new TerraformOutput(this, `${env}_${job}_role_arn`, {
          value: role.arn,
          description: `Role the ${env} pipeline's ${job.replace("_", " ")} job assumes`,
        });
      }
    }
  }
}
