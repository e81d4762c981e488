import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { EnvironmentConfig } from "../config";
import { bucketNames } from "../config/buckets";
import { Registry } from "../constructs/registry";
import { Storage } from "../constructs/storage";
import { Network } from "../constructs/network";
import { Providers, standardTags } from "../constructs/providers";
import { type NameContext, resourceName } from "../naming";
import { NamedStack } from "./named-stack";

export interface EnvironmentStackProps {
  /** The validated configuration of this environment. */
  readonly config: EnvironmentConfig;
}

/** One environment of the dashboard (dev, prod): every regional resource it runs on. */
export class EnvironmentStack extends NamedStack {
  public readonly config: EnvironmentConfig;
  public readonly providers: Providers;
  public readonly network: Network;
  public readonly storage: Storage;
  public readonly registry: Registry;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    const config = (this.config = props.config);
    const names: NameContext = { project: config.project, environment: config.environment };

    this.providers = new Providers(this, "aws", {
      accountId: config.accountId,
      region: config.region,
      drRegion: config.stateRegion,
      tags: environmentTags(config),
    });
    configureRemoteState(this, {
      project: config.project,
      environment: config.environment,
      stateRegion: config.stateRegion,
      bucketSuffix: config.accountId,
    });

    this.network = new Network(this, "network", {
      config: config.network,
      availabilityZones: config.availabilityZones,
      accountId: config.accountId,
      region: config.region,
      names,
    });

    this.storage = new Storage(this, "storage", {
      config: config.storage,
      bucketNames: bucketNames(config),
      protectData: config.protectData,
      accountId: config.accountId,
      region: config.region,
      drProvider: this.providers.dr,
      names,
    });

    this.registry = new Registry(this, "registry", {
      config: config.registry,
      repositoryName: resourceName(names, "dashboard"),
      forceDelete: config.storage.forceDestroy && !config.protectData,
    });

    this.outputs();
  }

  private outputs(): void {
    const buckets = {
      models: this.storage.models,
      data: this.storage.data,
      logs: this.storage.logs,
      static_assets: this.storage.staticAssets,
      models_replica: this.storage.modelsReplica,
      data_replica: this.storage.dataReplica,
    };
    for (const [role, bucket] of Object.entries(buckets)) {
      if (!bucket) continue;
      const label = role.replace("_", " ");
      new TerraformOutput(this, `${role}_bucket_name`, {
        value: bucket.bucket.bucket,
        description: `Name of the ${label} S3 bucket`,
      });
      new TerraformOutput(this, `${role}_bucket_arn`, {
        value: bucket.bucket.arn,
        description: `ARN of the ${label} S3 bucket`,
      });
    }
    new TerraformOutput(this, "ecr_repository_url", {
      value: this.registry.repository.repositoryUrl,
      description: "ECR repository URL of the dashboard image; push immutable tags (the git SHA)",
    });
  }
}

/** The default tags of an environment's resources. */
export function environmentTags(config: EnvironmentConfig): Record<string, string> {
  return standardTags({
    project: config.project,
    environment: config.environment,
    dataClassification: config.dataClassification,
    extra: config.tags,
  });
}
