import { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { EnvironmentConfig } from "../config";
import { Network } from "../constructs/network";
import { Providers, standardTags } from "../constructs/providers";
import type { NameContext } from "../naming";
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
