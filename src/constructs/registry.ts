import { DataAwsEcrLifecyclePolicyDocument } from "@cdktf/provider-aws/lib/data-aws-ecr-lifecycle-policy-document";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import type { RegistryConfig } from "../config";
import { PRIMARY_ID } from "../naming";

export interface RegistryProps {
  readonly config: RegistryConfig;
  /** Repository name. */
  readonly repositoryName: string;
  /** Let `terraform destroy` delete the repository while it holds images. @default false */
  readonly forceDelete?: boolean;
  /** KMS key for image encryption. @default AES-256 managed by ECR */
  readonly kmsKeyArn?: string;
}

/**
 * The ECR repository of the dashboard image (seed "Container Registry"): immutable tags (deploys
 * push the git SHA), scan on push, encryption, and a lifecycle policy keeping the last images.
 */
export class Registry extends Construct {
  public readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, PRIMARY_ID, {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [
        props.kmsKeyArn ? { encryptionType: "KMS", kmsKey: props.kmsKeyArn } : { encryptionType: "AES256" },
      ],
      forceDelete: props.forceDelete ?? false,
      tags: { Name: props.repositoryName },
    });
    const lifecycle = new DataAwsEcrLifecyclePolicyDocument(this, "lifecycle-document", {
      rule: [
        {
          priority: 1,
          description: `Keep the last ${props.config.keepImages} images`,
          selection: [{ tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.config.keepImages }],
          action: [{ type: "expire" }],
        },
      ],
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: lifecycle.json,
    });
  }
}
