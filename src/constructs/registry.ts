import { DataAwsEcrLifecyclePolicyDocument } from "@cdktf/provider-aws/lib/data-aws-ecr-lifecycle-policy-document";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";
import { arn, type DeploymentContext } from "./context";
import type { Grantable } from "./iam";
import type { CustomerKey } from "./keys";

/** Where a service pulls its image from: a Registry, or a replica of one in another region. */
export interface ImageRepository {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, without a tag. */
  readonly repositoryUrl: string;
  /** Lets `grantee` pull images of this repository. */
  grantPull(grantee: Grantable): void;
}

/** What pulling an image from a repository takes, on the repository (ECS's documented execution-role actions, less the token). */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];

/**
 * Pulling from the repository `repositoryArn`. ECR decrypts KMS-encrypted layers through its own
 * grant on the key, so a puller needs no key permission.
 */
function grantPullFrom(grantee: Grantable, repositoryArn: string): void {
  grantee.addStatements(
    {
      sid: "EcrAuthorization",
      effect: "Allow",
      // ECR's token is account-wide: the action supports no resource-level scoping.
      actions: ["ecr:GetAuthorizationToken"],
      resources: ["*"],
    },
    {
      sid: "PullDashboardImage",
      effect: "Allow",
      actions: ECR_PULL_ACTIONS,
      resources: [repositoryArn],
    },
  );
}

/**
 * The copy of a repository that ECR replication (RegistryReplication) keeps in the context's
 * region under the same name: nothing created, so a standby pulls there while the source
 * region is down.
 */
export class ReplicatedRepository implements ImageRepository {
  public readonly repositoryUrl: string;
  private readonly arn: string;

  constructor(context: DeploymentContext, repositoryName: string) {
    this.repositoryUrl = `${context.accountId}.dkr.ecr.${context.region}.amazonaws.com/${repositoryName}`;
    this.arn = arn(context, { service: "ecr", resource: `repository/${repositoryName}` });
  }

  grantPull(grantee: Grantable): void {
    grantPullFrom(grantee, this.arn);
  }
}

export interface RegistryProps {
  /** Repository name. */
  readonly repositoryName: string;
  /** Images kept; older ones expire (`registry.keepImages`). */
  readonly keepImages: number;
  /** Let `terraform destroy` delete the repository while it holds images. @default false */
  readonly forceDelete?: boolean;
  /** KMS key for image encryption. @default AES-256 managed by ECR */
  readonly encryptionKey?: CustomerKey;
}

/**
 * The ECR repository of the dashboard image (seed "Container Registry"): immutable tags (deploys
 * push the git SHA), scan on push, encryption, and a lifecycle policy keeping the last images.
 */
export class Registry extends Construct implements ImageRepository {
  public readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    if (!Number.isInteger(props.keepImages) || props.keepImages < 1) {
      throw new Error(
        `${this.node.path}: keepImages ${props.keepImages} must be a whole number of at least 1, or every image (the running one too) would expire.`,
      );
    }
    this.repository = new EcrRepository(this, PRIMARY_ID, {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [props.encryptionKey ? { encryptionType: "KMS", kmsKey: props.encryptionKey.arn } : { encryptionType: "AES256" }],
      forceDelete: props.forceDelete ?? false,
      tags: { Name: props.repositoryName },
    });
    const lifecycle = new DataAwsEcrLifecyclePolicyDocument(this, "lifecycle-document", {
      rule: [
        {
          priority: 1,
          description: `Keep the last ${props.keepImages} images`,
          selection: [{ tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages }],
          action: [{ type: "expire" }],
        },
      ],
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: lifecycle.json,
    });
  }

  get repositoryUrl(): string {
    return this.repository.repositoryUrl;
  }

  /** Lets `grantee` pull images of this repository. */
  grantPull(grantee: Grantable): void {
    grantPullFrom(grantee, this.repository.arn);
  }
}

/** A repository whose images are copied to another region of the account. */
export interface ImageReplica {
  /** The repository's name. */
  readonly repositoryName: string;
  /** The region that keeps the copy (the environment's DR region). */
  readonly region: string;
}

export interface RegistryReplicationProps {
  /** The account of the registry (replication stays in it). */
  readonly accountId: string;
  /** Every repository to copy, each with its destination; at least one. */
  readonly replicas: readonly ImageReplica[];
}

/**
 * The registry's replication configuration: every environment's repository that has a standby,
 * copied to its DR region, so the standby pulls the same immutable tag while the primary region
 * is down. ECR keeps one configuration per registry (account and region), so the account
 * baseline holds it for every environment: one per environment would overwrite each other.
 */
export class RegistryReplication extends Construct {
  public readonly configuration: EcrReplicationConfiguration;

  constructor(scope: Construct, id: string, props: RegistryReplicationProps) {
    super(scope, id);
    if (props.replicas.length === 0)
      throw new Error(`${this.node.path}: no repository to replicate; create RegistryReplication only when an environment has a standby.`);
    const regions = [...new Set(props.replicas.map((r) => r.region))].sort();
    this.configuration = new EcrReplicationConfiguration(this, PRIMARY_ID, {
      replicationConfiguration: {
        rule: regions.map((region) => ({
          destination: [{ region, registryId: props.accountId }],
          repositoryFilter: props.replicas
            .filter((r) => r.region === region)
            .map((r) => r.repositoryName)
            .sort()
            .map((name) => ({ filter: name, filterType: "PREFIX_MATCH" })),
        })),
      },
    });
  }
}
