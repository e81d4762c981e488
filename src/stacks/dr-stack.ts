import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { EnvironmentConfig } from "../config";
import { Alerts } from "../constructs/alerts";
import { arn, deploymentContext, type DeploymentContext } from "../constructs/context";
import { DatabaseReplica } from "../constructs/database-replica";
import { cloudWatchLogsKeyStatement, CustomerKey } from "../constructs/keys";
import { Network } from "../constructs/network";
import { drStackName, resourceName } from "../naming";
import { PolicyChecks } from "../policy/checks";
import { NamedStack } from "./named-stack";
import { environmentTags } from "./environment-stack";

export interface DisasterRecoveryStackProps {
  /** The validated configuration of the protected environment this stack stands by for. */
  readonly config: EnvironmentConfig;
}

/**
 * The standby of one environment in the DR region (`stateRegion`), as a stack of its own with
 * its own state key, so it plans and applies while the primary region is down: nothing here is
 * read from the primary's state; what it refers to there (the source database) is named from
 * the settings. Today: the network (2 zones, NAT only once the standby serves), the alerts
 * topic, and the database replica (promoted in `active` mode).
 */
export class DisasterRecoveryStack extends NamedStack {
  public readonly context: DeploymentContext;
  public readonly network: Network;
  public readonly alerts: Alerts;
  public readonly replica?: DatabaseReplica;

  constructor(scope: Construct, id: string, props: DisasterRecoveryStackProps) {
    super(scope, id);
    const { config } = props;
    const dr = config.dr;
    Aspects.of(this).add(new PolicyChecks({ protectData: config.protectData }));
    new AwsProvider(this, "aws", {
      region: config.stateRegion,
      allowedAccountIds: [config.accountId],
      // The environment's own tags: its deploy roles' tag conditions cover the standby too.
      defaultTags: [{ tags: { ...environmentTags(config), Standby: "dr" } }],
    });
    configureRemoteState(this, { project: config.project, environment: drStackName(config.environment), stateRegion: config.stateRegion, bucketSuffix: config.accountId });
    const context = (this.context = deploymentContext(this, {
      accountId: config.accountId,
      region: config.stateRegion,
      names: { project: config.project, environment: drStackName(config.environment) },
    }));

    // The standby's log groups get a key of their own in this region, as the primary's do.
    const logsKey = new CustomerKey(this, "logs-key", {
      context,
      alias: resourceName(context.names, "logs"),
      description: "CloudWatch log groups of the standby",
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    this.network = new Network(this, "network", {
      logsKeyArn: logsKey.arn,
      vpcCidr: dr.vpcCidr,
      publicSubnetCidrs: dr.publicSubnetCidrs,
      privateSubnetCidrs: dr.privateSubnetCidrs,
      // A pilot light serves nothing and needs no way out; a serving standby does.
      natGateways: dr.mode === "pilot-light" ? "none" : "one-per-az",
      flowLogRetentionDays: config.network.flowLogRetentionDays,
      availabilityZones: dr.availabilityZones,
      context,
    });
    this.alerts = new Alerts(this, "alerts", { context, email: config.alertEmail });

    if (config.database.enabled && dr.databaseReplica) {
      const primaryNames = { project: config.project, environment: config.environment };
      this.replica = new DatabaseReplica(this, "replica", {
        context,
        network: this.network,
        sourceArn: arn(context, { service: "rds", region: config.region, resource: `db:${resourceName(primaryNames, "db")}` }),
        // The environment's DR key (primary stack, keys.ts) by its alias: its id is not known here.
        kmsKeyId: config.encryption.customerManagedKeys
          ? arn(context, { service: "kms", resource: `alias/${resourceName(primaryNames, "dr")}` })
          : arn(context, { service: "kms", resource: "alias/aws/rds" }),
        engineVersion: config.database.engineVersion,
        instanceClass: config.database.instanceClass,
        maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
        monitoringIntervalSeconds: config.database.monitoringIntervalSeconds,
        promoted: dr.mode === "active",
        backupRetentionDays: config.database.backupRetentionDays,
        protectData: config.protectData,
        alerts: this.alerts,
        lagAlarmSeconds: dr.replicaLagAlarmSeconds,
      });
      new TerraformOutput(this, "db_endpoint", { value: this.replica.instance.address, description: "Hostname of the standby database (the replica, or after promotion the database)" });
    }
    new TerraformOutput(this, "vpc_id", { value: this.network.vpc.id, description: "The standby VPC" });
    new TerraformOutput(this, "mode", { value: dr.mode, description: "DR mode this stack was deployed in" });
  }
}
