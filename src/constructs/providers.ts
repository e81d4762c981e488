import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";

export interface ProvidersProps {
  /** The only account Terraform may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /** Primary region. */
  readonly region: string;
  /** Disaster-recovery region; gets the provider alias `dr`. */
  readonly drRegion: string;
  /** Tags applied to every resource through `default_tags`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The primary-region AWS provider and the aliased disaster-recovery one, tagged alike. */
export class Providers extends Construct {
  public readonly primary: AwsProvider;
  public readonly dr: AwsProvider;

  constructor(scope: Construct, id: string, props: ProvidersProps) {
    super(scope, id);
    const common = {
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: { ...props.tags } }],
    };
    this.primary = new AwsProvider(this, "primary", { ...common, region: props.region });
    this.dr = new AwsProvider(this, "dr", { ...common, region: props.drRegion, alias: "dr" });
  }
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
