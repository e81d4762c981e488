import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";

export interface DeployRoleProps {
  /** The role in the stack's account that a person deploying from another account assumes: the variable's default. */
  readonly roleArn: string;
}

/**
 * The role a stack's AWS providers assume to reach its account, as a Terraform variable whose
 * default is the settings' deployRoleArn: a person deploys with it from an identity in another
 * account. The pipeline's OIDC role is already in the account, so the pipeline sets the variable
 * to "" and the providers assume nothing: no sts:AssumeRole grant, no trust of the pipeline in
 * the deploy role, and the plan reader keeps its read-only rights. The variable is named after the
 * construct's path: ProjectStack's id DEPLOY_ROLE_VARIABLE makes it the `deploy_role_arn` that the
 * pipeline sets.
 */
export class DeployRole extends Construct {
  public readonly variable: TerraformVariable;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    this.variable = new TerraformVariable(this, PRIMARY_ID, {
      type: "string",
      nullable: false,
      default: props.roleArn,
      description:
        "IAM role the AWS providers assume to deploy this stack, for a person whose identity is in another account (the settings' deployRoleArn). " +
        'The pipeline (docs/ci) sets it to "": its OIDC role is already in the account, so the providers assume no role.',
    });
    // cdktf's HCL rendering keeps only a variable's truthy attributes: without this, `cdktf synth
    // --hcl` would leave nullable = false out.
    this.variable.addOverride("nullable", false);
  }

  /**
   * `provider` assumes the role unless the variable is "": a dynamic assume_role block, which
   * cdktf's `assumeRole` cannot express. An assume_role with an empty role_arn is no substitute:
   * provider 5.100 warns that it will become an error, and later providers refuse it.
   */
  public assumedBy(provider: AwsProvider): void {
    const role = `var.${this.variable.friendlyUniqueId}`;
    provider.addOverride("dynamic.assume_role", {
      for_each: `\${${role} == "" ? [] : [${role}]}`,
      content: { role_arn: "${assume_role.value}" },
    });
  }
}

export interface ProvidersProps {
  /** The only account Terraform may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /** The role in that account that Terraform assumes to reach it (`assume_role`). @default the deploying identity's own credentials */
  readonly deployRole?: DeployRole;
  /** Primary region. */
  readonly region: string;
  /** Disaster-recovery region; gets the provider alias `dr`. */
  readonly drRegion: string;
  /** Tags applied to every resource through `default_tags`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Region of CloudFront's global control plane: its WAF ACLs, certificates and log sources. */
export const GLOBAL_REGION = "us-east-1";

/**
 * The primary-region AWS provider and the aliased disaster-recovery one, tagged alike; plus an
 * alias `global` in us-east-1 for CloudFront's WAF and logs when the primary region is another.
 */
export class Providers extends Construct {
  public readonly primary: AwsProvider;
  public readonly dr: AwsProvider;
  /** The provider for us-east-1: the primary one when the primary region is us-east-1. */
  public readonly global: AwsProvider;

  constructor(scope: Construct, id: string, props: ProvidersProps) {
    super(scope, id);
    const common = providerAccess(props);
    this.primary = new AwsProvider(this, "primary", { ...common, region: props.region });
    this.dr = new AwsProvider(this, "dr", { ...common, region: props.drRegion, alias: "dr" });
    this.global = props.region === GLOBAL_REGION ? this.primary : new AwsProvider(this, "global", { ...common, region: GLOBAL_REGION, alias: "global" });
    for (const provider of new Set([this.primary, this.dr, this.global])) props.deployRole?.assumedBy(provider);
  }
}

/**
 * What every AWS provider of a stack shares: the one account it may act in, and the tags. The
 * role it reaches that account by, when the deploying identity lives elsewhere, is DeployRole's.
 */
export function providerAccess(props: Pick<ProvidersProps, "accountId" | "tags">) {
  return {
    allowedAccountIds: [props.accountId],
    defaultTags: [{ tags: { ...props.tags } }],
  };
}

/** The tags every resource of a project carries, plus per-deployment extras. */
export function standardTags(props: {
  project: string;
  environment: string;
  dataClassification: string;
  extra?: Readonly<Record<string, string>>;
}): Record<string, string> {
  return {
    ...props.extra,
    Project: props.project,
    Environment: props.environment,
    ManagedBy: "cdktf",
    DataClassification: props.dataClassification,
  };
}
