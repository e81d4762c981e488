import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";

export interface ProvidersProps {
  /** The only account Terraform may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /** A role in that account that Terraform assumes to reach it (`assume_role`). @default the deploying identity's own credentials */
  readonly assumeRoleArn?: string;
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
  }
}

/**
 * What every AWS provider of a stack shares: the one account it may act in, the role it reaches
 * that account by (when the deploying identity lives elsewhere), and the tags.
 */
export function providerAccess(props: Pick<ProvidersProps, "accountId" | "assumeRoleArn" | "tags">) {
  return {
    allowedAccountIds: [props.accountId],
    ...(props.assumeRoleArn ? { assumeRole: [{ roleArn: props.assumeRoleArn }] } : {}),
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
