import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, LocalBackend } from "cdktf";
import type { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import { BOOTSTRAP_STATE_BACKEND_PATH, BUILD_DIR } from "../validation/deployment";
import { DEPLOY_ROLE_VARIABLE } from "../config/naming";
import type { NameSource } from "../aws/name-rules";
import { deploymentContext, type DeploymentContext } from "../constructs/context";
import { DeployRole, providerAccess, Providers } from "../constructs/providers";
import { PolicyChecks } from "../policy/checks";
import { NamedStack } from "./named-stack";

/** Where a stack keeps its Terraform state. */
export type StateLocation =
  /** The state bucket (backend.ts), under the key of this name (`stateKey`): the stack's name. */
  | { readonly remote: string }
  /**
   * A local file: only the state bootstrap stack, which cannot keep its state in the bucket it
   * creates. Outside the build folder; a relative path is taken from where cdktf runs Terraform
   * (cdktf.out/stacks/<stack>), as Terraform takes it.
   */
  | { readonly localPath: string };

export interface ProjectStackProps {
  /** Project slug, the first part of every physical name. */
  readonly project: string;
  /** The only account the provider may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /**
   * The role in `accountId` that the providers and the state backend assume, when the deploying
   * identity lives in another account: the providers' through the variable `deploy_role_arn`
   * (DeployRole), which the pipeline sets to "". @default the deploying identity's own credentials
   */
  readonly deployRoleArn?: string;
  /** The account of the state bucket (its name's suffix). @default accountId */
  readonly stateAccountId?: string;
  /** Region of the stack's default provider and of its deployment context. */
  readonly region: string;
  /** The DR region, which holds the state bucket. */
  readonly stateRegion: string;
  /** The environment part of the stack's physical names (`<project>-<environment>-<role>`). */
  readonly environment: string;
  /** The provider's `default_tags`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly state: StateLocation;
  /**
   * Add the DR region's provider (alias `dr`) and, where the stack's region is not us-east-1, a
   * `global` one for CloudFront's WAF and logs. @default one provider, in `region`
   */
  readonly withDrProvider?: boolean;
  /** Policy checks: rules for stacks that hold protected data (src/policy). */
  readonly protectData: boolean;
  /** The settings the stack's physical names are built from, named in the fix of a refused name. */
  readonly nameSources: readonly NameSource[];
}

/**
 * The set-up every stack of the project shares, as AWS CDK's `Stack` gives it: the policy checks
 * (an aspect, src/policy), the AWS provider(s) locked to the account and tagged, the state
 * backend, and the deployment context (account, region, partition, names) its constructs use.
 * Addresses are the construct path below the stack (NamedStack).
 */
export class ProjectStack extends NamedStack {
  /** Account, region, partition and names, as every construct of the stack sees them. */
  public readonly context: DeploymentContext;
  /** The provider of `region`. */
  public readonly provider: AwsProvider;
  /** The primary, DR and global providers, when the stack has the DR provider. */
  public readonly providers?: Providers;
  /** The role the providers assume, as the variable `deploy_role_arn`, when the settings name one. */
  public readonly deployRole?: DeployRole;

  constructor(scope: Construct, id: string, props: ProjectStackProps) {
    super(scope, id);
    Aspects.of(this).add(new PolicyChecks({ protectData: props.protectData, nameSources: props.nameSources }));
    const { state } = props;
    if ("localPath" in state) {
      const runDir = path.join(BUILD_DIR, "stacks", id);
      const fromBuildDir = path.relative(BUILD_DIR, path.join(runDir, state.localPath));
      if (!path.isAbsolute(state.localPath) && fromBuildDir !== ".." && !fromBuildDir.startsWith(`..${path.sep}`)) {
        throw new Error(
          `${this.node.path}: localStatePath "${state.localPath}" is inside the build folder, where Terraform would keep the state (it runs in ${runDir}) and a synthesis may clean it. ` +
            `Fix: a path outside ${BUILD_DIR}, relative to ${runDir} (as "${BOOTSTRAP_STATE_BACKEND_PATH}") so that the output is the same in every checkout.`,
        );
      }
      new LocalBackend(this, { path: state.localPath });
    }
    if (props.deployRoleArn) this.deployRole = new DeployRole(this, DEPLOY_ROLE_VARIABLE, { roleArn: props.deployRoleArn });
    if (props.withDrProvider) {
      this.providers = new Providers(this, "aws", {
        accountId: props.accountId,
        deployRole: this.deployRole,
        region: props.region,
        drRegion: props.stateRegion,
        tags: props.tags,
      });
      this.provider = this.providers.primary;
    } else {
      this.provider = new AwsProvider(this, "aws", {
        region: props.region,
        ...providerAccess({ accountId: props.accountId, tags: props.tags }),
      });
      this.deployRole?.assumedBy(this.provider);
    }
    if ("remote" in state) {
      configureRemoteState(this, {
        project: props.project,
        environment: state.remote,
        stateRegion: props.stateRegion,
        bucketSuffix: props.stateAccountId ?? props.accountId,
        roleArn: props.deployRoleArn,
      });
    }
    this.context = deploymentContext(this, {
      accountId: props.accountId,
      region: props.region,
      names: { project: props.project, environment: props.environment },
    });
  }
}
