import { DataAwsEcrLifecyclePolicyDocument } from "@cdktf/provider-aws/lib/data-aws-ecr-lifecycle-policy-document";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../naming";
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
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      resources: [repositoryArn],
    },
  );
}

/**
 * The copy of a repository that ECR replication (Registry.replicateTo) keeps in the context's
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
      throw new Error(`${this.node.path}: keepImages ${props.keepImages} must be a whole number of at least 1, or every image (the running one too) would expire.`);
    }
    this.repository = new EcrRepository(this, PRIMARY_ID, {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [
        props.encryptionKey ? { encryptionType: "KMS", kmsKey: props.encryptionKey.arn } : { encryptionType: "AES256" },
      ],
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

  /**
   * Replicates this repository's images to `region` of the same account, so a standby there
   * pulls the same immutable tag while this region is down. ECR keeps one replication
   * configuration per registry (account and region): this one covers this repository only.
   */
  replicateTo(region: string, accountId: string): EcrReplicationConfiguration {
    return new EcrReplicationConfiguration(this, "replication", {
      replicationConfiguration: {
        rule: [
          {
            destination: [{ region, registryId: accountId }],
            repositoryFilter: [{ filter: this.repository.name, filterType: "PREFIX_MATCH" }],
          },
        ],
      },
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
