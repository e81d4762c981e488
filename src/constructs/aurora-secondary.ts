import type { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";
import { AuroraClusterParts, type AuroraClusterBaseProps } from "./aurora";
import type { DeploymentContext } from "./context";
import { APP_DB_USER, grantIamConnect, POSTGRES, POSTGRES_PORT } from "./rds";
import type { Grantable } from "./iam";
import type { SecurityGroup } from "./security-group";
import type { Service, ServiceDatabase } from "./service";

export interface AuroraSecondaryProps extends AuroraClusterBaseProps {
  /**
   * Identifier of the primary's global database, built from settings (never read from the
   * primary's state), so the standby plans while the primary region is down.
   */
  readonly globalClusterIdentifier: string;
  /** Instances of the secondary cluster: 0 keeps it headless (storage replicated, no compute). */
  readonly instances: number;
  /**
   * ARN of a DR-region key (a key ARN, as RDS reports it; an alias ARN would plan a replacement)
   * for storage and Performance Insights. @default the region's AWS-managed RDS key
   */
  readonly kmsKeyArn?: string;
  /** Days of automated backups, used once the secondary becomes the primary. */
  readonly backupRetentionDays: number;
  /** UTC daily backup window. */
  readonly backupWindow: string;
  /**
   * Whether this cluster is the primary now (after a global failover): the tasks write to its
   * writer. Otherwise they read its readers and their writes are forwarded to the primary.
   */
  readonly promoted: boolean;
  /** Name of the application database (the primary's). */
  readonly databaseName: string;
  /** Lag (s) of this secondary behind the primary that fires the alarm. */
  readonly globalLagSeconds: number;
}

/**
 * The DR region's secondary cluster of the environment's Aurora Global Database (seed "100,000+
 * users: multi-region, Aurora"), in place of the cross-region read replica: storage-level
 * replication with a typical lag under a second (Aurora User Guide, "Using Amazon Aurora Global
 * Database"), encrypted with the DR region's key, TLS-only, IAM authentication, global write
 * forwarding so a serving standby can save what its users write, and instances only when the
 * standby serves (headless in pilot-light). A regional failover is the global database's managed
 * failover (`npm run failover`), not a change of this stack.
 */
export class AuroraSecondary extends Construct implements ServiceDatabase {
  public readonly cluster: RdsCluster;
  public readonly instances: readonly RdsClusterInstance[];
  public readonly securityGroup: SecurityGroup;
  private readonly context: DeploymentContext;
  private readonly props: AuroraSecondaryProps;

  constructor(scope: Construct, id: string, props: AuroraSecondaryProps) {
    super(scope, id);
    this.context = props.context;
    this.props = props;
    const parts = new AuroraClusterParts(this, props, "the standby Aurora cluster");
    this.securityGroup = parts.securityGroup;
    this.cluster = new RdsCluster(this, PRIMARY_ID, {
      ...parts.clusterSettings(props.kmsKeyArn),
      globalClusterIdentifier: props.globalClusterIdentifier,
      // Writes of a serving standby go to the primary over Aurora's own channel: no network
      // between the regions, no password (Aurora User Guide, "Using write forwarding in an
      // Aurora PostgreSQL global database"). Only instances forward.
      enableGlobalWriteForwarding: props.instances > 0 ? true : undefined,
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: props.backupWindow,
      // A global database upgrades every member's engine version itself.
      lifecycle: { ignoreChanges: ["engine_version"] },
    });
    this.securityGroup.usedBy(this.cluster);
    this.instances = parts.instances(this.cluster, props.instances, props.kmsKeyArn);

    if (props.instances > 0) {
      props.alerts.alarm(this, "aurora-global-lag", {
        namespace: "AWS/RDS",
        metricName: "AuroraGlobalDBRPOLag",
        dimensions: { DBClusterIdentifier: this.cluster.clusterIdentifier },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        comparison: "GreaterThanThreshold",
        threshold: props.globalLagSeconds * 1000,
        description: `The Aurora secondary is more than ${props.globalLagSeconds} s behind the primary for 5 minutes: the data a failover would lose`,
        // A secondary that stops reporting is not replicating.
        missing: "breaching",
      });
    }
  }

  /** Lets members of `other` reach the cluster on PostgreSQL's port. */
  allowFrom(other: SecurityGroup): void {
    this.securityGroup.allowFrom(other, POSTGRES);
  }

  /** Lets `grantee` sign in as `user` with IAM authentication (rds-db:connect on this cluster and that user only). */
  grantConnect(grantee: Grantable, user = APP_DB_USER): void {
    grantIamConnect(grantee, this.context, "ConnectToStandbyAurora", this.cluster.clusterResourceId, user);
  }

  /** Lets `service`'s tasks sign in as the app's user with IAM authentication. */
  grantSignIn(service: Service): void {
    this.grantConnect(service.taskRole);
  }

  /**
   * Connection settings for a standby container, IAM authentication as APP_DB_USER: while this
   * is a secondary the tasks write through the readers (write forwarding, session consistency:
   * a session reads its own writes); once promoted, to its writer.
   */
  get containerEnvironment(): { name: string; value: string }[] {
    const user = APP_DB_USER;
    return [
      { name: "DB_HOST", value: this.props.promoted ? this.cluster.endpoint : this.cluster.readerEndpoint },
      { name: "DB_READER_HOST", value: this.cluster.readerEndpoint },
      { name: "DB_PORT", value: String(POSTGRES_PORT) },
      { name: "DB_NAME", value: this.props.databaseName },
      { name: "DB_USERNAME", value: user },
      { name: "DB_IAM_AUTH", value: "true" },
      ...(this.props.promoted ? [] : [{ name: "DB_WRITE_FORWARDING", value: "true" }]),
    ];
  }
}
