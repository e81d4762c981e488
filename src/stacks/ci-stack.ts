import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformOutput } from "cdktf";
import { hasAurora } from "../config/rules";
import type { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { CiConfig, EnvironmentConfig } from "../config";
import { deploymentContext } from "../constructs/context";
import { GithubOidcProvider, PipelineRoles } from "../constructs/pipeline-roles";
import { stateBucketName, stateKey, drStackName } from "../naming";
import { PolicyChecks } from "../policy/checks";
import { NamedStack } from "./named-stack";

export interface CiStackProps {
  readonly ci: CiConfig & { readonly githubRepository: string };
  /** The environments the pipeline deploys; they share project, account and regions. */
  readonly environments: readonly EnvironmentConfig[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Keyless CI identities (seed "Deployment Flow"): GitHub's OIDC provider and, per environment,
 * the image-publisher, plan-reader and deployer roles. A stack of its own, applied by a person
 * once (like the state stack): a pipeline must not manage the roles it runs as, and the account
 * baseline can be switched off where an organization runs those services.
 */
export class CiStack extends NamedStack {
  public readonly oidc: GithubOidcProvider;
  public readonly roles: Readonly<Record<string, PipelineRoles>>;

  constructor(scope: Construct, id: string, props: CiStackProps) {
    super(scope, id);
    const [first] = props.environments;
    const nameSources = [{ setting: "project", value: first.project }, ...props.environments.map((env) => ({ setting: "the environment name", value: env.environment }))];
    Aspects.of(this).add(new PolicyChecks({ protectData: true, nameSources }));
    new AwsProvider(this, "aws", { region: first.region, allowedAccountIds: [first.accountId], defaultTags: [{ tags: { ...props.tags } }] });
    configureRemoteState(this, { project: first.project, environment: id, stateRegion: first.stateRegion, bucketSuffix: first.accountId });
    const context = deploymentContext(this, { accountId: first.accountId, region: first.region, names: { project: first.project, environment: id } });

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
            stateBucket: stateBucketName(env.project, env.stateRegion, env.accountId),
            stateKey: stateKey(env.project, env.environment),
            standbyStateKey: env.dr.enabled ? stateKey(env.project, drStackName(env.environment)) : undefined,
            aurora: hasAurora(env) || undefined,
            cache: env.cache.enabled || undefined,
            edgeFunction: env.edge.cloudfront.enabled && env.dr.enabled && env.dr.mode === "serving" && env.dr.standbyTrafficPercent > 0 && env.dr.failoverOrigin !== undefined ? true : undefined,
          },
          repository: props.ci.githubRepository,
          mainBranch: props.ci.mainBranch,
          oidcProviderArn: this.oidc.arn,
        }),
      ]),
    );
    for (const [env, roles] of Object.entries(this.roles)) {
      for (const [job, role] of [["image_publisher", roles.imagePublisher], ["plan_reader", roles.planReader], ["deployer", roles.deployer]] as const) {
        new TerraformOutput(this, `${env}_${job}_role_arn`, { value: role.arn, description: `Role the ${env} pipeline's ${job.replace("_", " ")} job assumes` });
      }
    }
  }
}
