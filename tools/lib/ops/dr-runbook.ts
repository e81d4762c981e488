/**
 * The regional failover and fail-back of an environment as data: ordered steps, each with the
 * exact commands and its share of the recovery time. `npm run failover` prints them (and runs
 * them with --execute); docs/disaster-recovery.md's budget tables are generated from them.
 */
import type { EnvironmentConfig } from "../../../src/validation";
import { hasGlobalDatabase } from "../../../src/validation/rules";
import { LOAD_BALANCER_HEALTH } from "../../../src/constructs/load-balancer";
import { plural } from "./words";
import {
  auroraClusterName,
  clusterName,
  dbInstanceName,
  distributionComment,
  drStackName,
  globalClusterName,
  keyAliasName,
  SERVICE_NAME,
  setAsideDbInstanceName,
  standbyNames,
} from "../../../src/config/naming";

/**
 * How a runbook deploys one stack: through the npm script, which switches the cdktf CLI's version
 * check off (CHECKPOINT_DISABLE), as every document does.
 */
export const deployCommand = (stack: string) => `npm run deploy -- ${stack} --auto-approve`;

export type DrMode = EnvironmentConfig["dr"]["mode"];

/** Minutes a step takes, low and high, and where the figure comes from. */
export interface Budget {
  readonly minutes: readonly [number, number];
  readonly source: string;
}

export interface RunbookStep {
  readonly title: string;
  /** What the step does and why, for the operator. */
  readonly why: string;
  /** Shell commands, run in order from the project root (bash -euo pipefail). */
  readonly commands: readonly string[];
  /** A settings change the step makes in the file that declares the environment: the dotted path as in cdktf.json, and the value. */
  readonly setting?: { readonly path: string; readonly value: unknown };
  /** Its share of the recovery time; none for steps after service is back. */
  readonly budget?: Budget;
}

/** The path of `environment`'s DR mode in cdktf.json's context. */
export const modeSetting = (environment: string) => `context.deployment.environments.${environment}.dr.mode`;

/** Assumed time from an alarm to an operator starting the runbook (not measurable here). */
export const DECISION_MINUTES: readonly [number, number] = [2, 5];

function names(config: EnvironmentConfig) {
  const primary = { project: config.project, environment: config.environment };
  const standby = standbyNames(primary);
  return {
    stack: drStackName(config.environment),
    drRegion: config.stateRegion,
    replica: dbInstanceName(standby),
    cluster: clusterName(standby),
    distributionComment: distributionComment(primary),
    primaryDb: dbInstanceName(primary),
    setAsideDb: setAsideDbInstanceName(primary),
    globalCluster: globalClusterName(primary),
    primaryAurora: auroraClusterName(primary),
    standbyAurora: auroraClusterName(standby),
  };
}

/**
 * Figures of Aurora Global Database that the runbook and docs/disaster-recovery.md quote, with
 * where AWS publishes them.
 */
export const AURORA_GLOBAL = {
  lag: 'Aurora "replicates your data to the secondary AWS Regions with typical latency of under a second" (Aurora User Guide, "Using Amazon Aurora Global Database")',
  failover:
    'AWS: with a global database "you can promote one of the AWS secondary regions to perform full read/write workloads in less than a minute" (AWS Disaster Recovery workshop, "Aurora - Global Database")',
  switchover:
    'a switchover "synchronizes" the secondary with the primary first, "without losing any data"; "your database is unavailable for a short time while the primary and selected secondary clusters are assuming their new roles" (RDS API Reference, SwitchoverGlobalCluster)',
  dataLoss:
    'a failover "can result in a loss of write transaction data that wasn\'t replicated to the chosen secondary", and the promoted cluster is "in a transactionally consistent state" (RDS API Reference, FailoverGlobalCluster)',
} as const;

/** The ARN of an Aurora cluster of this environment in `region`, for the global database's commands. */
const clusterArn = (config: EnvironmentConfig, region: string, identifier: string) => `arn:aws:rds:${region}:${config.accountId}:cluster:${identifier}`;

function refuseWithoutStandby(config: EnvironmentConfig): void {
  if (!config.dr.enabled) {
    throw new Error(
      `environment "${config.environment}" has no standby (dr.enabled is false), so there is nothing to fail over to. Fix: set dr.enabled to true and deploy ${drStackName(config.environment)} first.`,
    );
  }
}

/** Detecting the outage: the 5XX and unhealthy-target alarms' window. */
export function detection(config: EnvironmentConfig): Budget {
  const minutes = (config.monitoring.periodSeconds * config.monitoring.evaluationPeriods) / 60;
  return {
    minutes: [minutes, minutes + 1],
    source: `alarm window monitoring.periodSeconds x evaluationPeriods = ${minutes} min, plus up to a minute for CloudWatch to evaluate`,
  };
}

/** Tasks starting and passing the ALB's health checks. */
function taskStart(): Budget {
  const { intervalSeconds, healthyThreshold } = LOAD_BALANCER_HEALTH;
  const healthy = (intervalSeconds * healthyThreshold) / 60;
  return {
    minutes: [1 + healthy, 2 + healthy],
    source: `estimated: Fargate task launch and image pull, 1-2 min for an image of a few hundred MB (AWS publishes no figure; not measurable here), plus ${healthyThreshold} healthy checks ${intervalSeconds} s apart (LOAD_BALANCER_HEALTH)`,
  };
}

/** The steps that move viewers to the standby and check the dashboard, after its database serves. */
function trafficSteps(config: EnvironmentConfig): RunbookStep[] {
  const n = names(config);
  const stackDir = `cdktf.out/stacks/${n.stack}`;
  // The environment's distribution, found by its comment (its id is generated).
  const distributionId = `$(aws cloudfront list-distributions --query "DistributionList.Items[?Comment=='${n.distributionComment}'].Id | [0]" --output text)`;
  const steps: RunbookStep[] = [];
  if (config.edge.cloudfront.enabled) {
    const domain = config.dr.failoverOrigin?.domainName ?? `$(terraform -chdir=${stackDir} output -raw alb_dns_name)`;
    steps.push({
      title: "Send every request to the standby",
      why: config.dr.failoverOrigin
        ? "The origin group already retries reads (GET, HEAD, OPTIONS) at the standby when the primary fails; this points the distribution's `alb` origin itself at the standby, so uploads (PUT) and first tries go there too, without waiting for the primary to time out."
        : "The distribution has no origin group yet (dr.failoverOrigin unset): point its `alb` origin at the standby's VPC origin. A failover drops open Streamlit sessions (websockets); browsers reconnect to the standby.",
      commands: [
        `terraform -chdir=${stackDir} init -input=false >/dev/null`,
        `ID=${distributionId}`,
        'aws cloudfront get-distribution-config --id "$ID" > distribution.json',
        `jq --arg vo "$(terraform -chdir=${stackDir} output -raw cloudfront_vpc_origin_id)" --arg dns "${domain}" '.DistributionConfig | (.Origins.Items[] | select(.Id == "alb")) |= (.DomainName = $dns | .VpcOriginConfig.VpcOriginId = $vo)' distribution.json > distribution-standby.json`,
        'aws cloudfront update-distribution --id "$ID" --if-match "$(jq -r .ETag distribution.json)" --distribution-config file://distribution-standby.json --query Distribution.Status',
        'aws cloudfront wait distribution-deployed --id "$ID"',
      ],
      budget: config.dr.failoverOrigin
        ? { minutes: [0, 0], source: "reads already fail over per request (2 connection attempts x 5 s); this step runs while the standby serves" }
        : { minutes: [2, 5], source: "CloudFront propagating a distribution change to its edge locations (minutes; the wait polls until Deployed)" },
    });
  } else {
    steps.push({
      title: "Send every request to the standby",
      why: "Without CloudFront, viewers reach the ALB by DNS: point the dashboard's name at the standby ALB (this project manages no DNS zone).",
      commands: [`terraform -chdir=${stackDir} output -raw alb_dns_name`],
      budget: { minutes: [1, 5], source: "your DNS record's TTL" },
    });
  }
  steps.push({
    title: "Check the dashboard answers",
    why: "Streamlit's health endpoint through the viewer's path.",
    commands: config.edge.cloudfront.enabled
      ? [
          `curl -fsS "https://$(aws cloudfront get-distribution --id "${distributionId}" --query Distribution.DomainName --output text)${config.service.healthCheckPath}"`,
        ]
      : [`curl -fsS "http://$(terraform -chdir=${stackDir} output -raw alb_dns_name)${config.service.healthCheckPath}"`],
    budget: { minutes: [0, 1], source: "one request" },
  });
  return steps;
}

/** The step that raises the standby's tasks to the environment's count. */
function scaleStep(config: EnvironmentConfig, alreadyServing: boolean): RunbookStep {
  const n = names(config);
  const region = `--region ${n.drRegion}`;
  return {
    title: `Scale the standby to ${config.environment}'s task count`,
    why: `Autoscaling owns the count after creation (the service ignores desired_count), so the deploy does not change it: set ${plural(config.service.desiredCount, "task")} and wait until they pass the ALB's health checks.`,
    commands: [
      `aws ecs update-service --cluster ${n.cluster} --service ${SERVICE_NAME} --desired-count ${config.service.desiredCount} ${region} --query 'service.desiredCount'`,
      `aws ecs wait services-stable --cluster ${n.cluster} --services ${SERVICE_NAME} ${region}`,
    ],
    budget: alreadyServing
      ? {
          minutes: [0, 0],
          source: config.dr.mode === "serving" ? "the standby already runs the full task count" : "one task already serves; the rest start behind it",
        }
      : taskStart(),
  };
}

/**
 * The failover of an environment whose database is an Aurora Global Database: the global
 * database's managed failover promotes the standby's secondary (no replica promotion, no copy
 * back later), then the standby is recorded and deployed as the primary.
 */
function auroraFailoverSteps(config: EnvironmentConfig): RunbookStep[] {
  const n = names(config);
  const region = `--region ${n.drRegion}`;
  const from = config.dr.mode;
  const steps: RunbookStep[] = [];
  steps.push({
    title: "Check the standby and how far its secondary is behind",
    why: `Read-only. AuroraGlobalDBRPOLag is the data a failover loses (RPO): ${AURORA_GLOBAL.lag}; the standby's alarm fires above ${config.database.aurora.alarms.globalLagSeconds} s.`,
    commands: [
      `aws rds describe-global-clusters --global-cluster-identifier ${n.globalCluster} ${region} --query 'GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter]' --output text`,
      `aws cloudwatch get-metric-statistics --namespace AWS/RDS --metric-name AuroraGlobalDBRPOLag --dimensions Name=DBClusterIdentifier,Value=${n.standbyAurora} --statistics Maximum --period 60 --start-time "$(date -u -d '-15 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" ${region}`,
      `aws ecs describe-services --cluster ${n.cluster} --services ${SERVICE_NAME} ${region} --query 'services[0].[desiredCount,runningCount]' --output text`,
    ],
    budget: { minutes: [0, 1], source: "three read-only API calls" },
  });
  const record: RunbookStep = {
    title: `Record ${n.stack} as active`,
    why: "The mode is a setting in the file that declares the environment (environments/<name>.json), committed like any change: in active mode the standby's tasks write to its own cluster's writer, and it runs the primary's instances and tasks.",
    commands: [],
    setting: { path: modeSetting(config.environment), value: "active" },
    budget: { minutes: [0, 1], source: "an edit of the environment's settings file" },
  };
  const failover: RunbookStep = {
    title: "Fail the global database over to the standby's cluster",
    why: `The managed failover promotes the secondary to the primary; ${AURORA_GLOBAL.dataLoss}. When ${config.region} is healthy (a drill, a planned move), use switchover-global-cluster instead: no data is lost.`,
    commands: [
      `aws rds failover-global-cluster --global-cluster-identifier ${n.globalCluster} --target-db-cluster-identifier ${clusterArn(config, n.drRegion, n.standbyAurora)} --allow-data-loss ${region}`,
      `until aws rds describe-global-clusters --global-cluster-identifier ${n.globalCluster} ${region} --query 'GlobalClusters[0].GlobalClusterMembers[?IsWriter].DBClusterArn' --output text | grep -q ':cluster:${n.standbyAurora}$'; do sleep 10; done`,
    ],
    budget: { minutes: [0, 1], source: AURORA_GLOBAL.failover },
  };
  if (from === "pilot-light") {
    // A headless secondary has no instance to promote: instances (and NAT, endpoints, cache) first.
    steps.push(
      record,
      {
        title: `Deploy ${n.stack} in active mode`,
        why: `Creates the secondary's ${1 + config.database.aurora.readers} instance(s), which a headless cluster lacks and a failover needs, and the NAT gateways, interface endpoints${config.cache.enabled ? ", cache" : ""} a pilot light lacks; raises the service's autoscaling floor to ${config.service.minCount}.`,
        commands: [deployCommand(n.stack)],
        budget: {
          minutes: [10, 20],
          source:
            "estimated: creating Aurora instances (AWS publishes no figure; not measurable here); NAT gateways, endpoints and the cache are created alongside",
        },
      },
      failover,
      scaleStep(config, false),
    );
  } else {
    steps.push(
      failover,
      ...(from === "active" ? [] : [record]),
      {
        title: `Deploy ${n.stack} in active mode`,
        why: `Points the standby's tasks at its cluster's writer and ${from === "warm-standby" ? `adds the readers to reach ${1 + config.database.aurora.readers} instances` : "keeps its instances"}; until it has run, the tasks already write through the reader endpoint${from === "warm-standby" ? ", which reaches the writer while the cluster has one instance" : " (Aurora's readers refuse writes without forwarding: run this step at once)"}.`,
        commands: [deployCommand(n.stack)],
        budget:
          from === "warm-standby"
            ? {
                minutes: [0, 0],
                source: "the promoted secondary already takes reads and writes through its only instance; the deploy rolls the tasks behind it",
              }
            : {
                minutes: [1, 3],
                source: `a rolling deployment of the standby's tasks onto the writer endpoint: ${LOAD_BALANCER_HEALTH.healthyThreshold} healthy checks ${LOAD_BALANCER_HEALTH.intervalSeconds} s apart per batch (estimated, not measurable here)`,
              },
      },
      scaleStep(config, true),
    );
  }
  return [...steps, ...trafficSteps(config)];
}

/** The ordered steps of failing `config`'s environment over to its standby, from its current mode. */
export function failoverSteps(config: EnvironmentConfig): RunbookStep[] {
  refuseWithoutStandby(config);
  if (hasGlobalDatabase(config)) return auroraFailoverSteps(config);
  const n = names(config);
  const region = `--region ${n.drRegion}`;
  const hasReplica = config.database.enabled && config.dr.databaseReplica;
  const steps: RunbookStep[] = [];

  steps.push({
    title: "Check the standby and what the replica holds",
    why: `Read-only. The replica's lag is the data you would lose (RPO): writes in ${config.region} from the last ${config.dr.replicaLagAlarmSeconds / 60} minutes at most, or the ReplicaLag alarm would have told you.`,
    commands: [
      ...(hasReplica
        ? [
            `aws rds describe-db-instances --db-instance-identifier ${n.replica} ${region} --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text`,
            `aws cloudwatch get-metric-statistics --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${n.replica} --statistics Maximum --period 60 --start-time "$(date -u -d '-15 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" ${region}`,
          ]
        : []),
      `aws ecs describe-services --cluster ${n.cluster} --services ${SERVICE_NAME} ${region} --query 'services[0].[desiredCount,runningCount]' --output text`,
    ],
    budget: { minutes: [0, 1], source: "three read-only API calls" },
  });

  steps.push({
    title: `Record ${n.stack} as active`,
    why: "The mode is a setting, kept in the file that declares the environment (environments/<name>.json, committed like any change), so the next deploy keeps the standby active instead of turning the promoted database back into a replica.",
    commands: [],
    setting: { path: modeSetting(config.environment), value: "active" },
    budget: { minutes: [0, 1], source: "an edit of the environment's settings file" },
  });

  steps.push({
    title: `Deploy ${n.stack} in active mode`,
    why: [
      hasReplica
        ? "Promotes the replica to a standalone database with backups (the provider promotes when replicate_source_db goes away)"
        : "No database to promote",
      config.dr.mode === "pilot-light" ? "creates the NAT gateways and interface endpoints a pilot light lacks" : "",
      `and raises the service's autoscaling floor to ${config.service.minCount}.`,
    ]
      .filter(Boolean)
      .join("; "),
    commands: [deployCommand(n.stack)],
    budget: hasReplica
      ? {
          minutes: [3, 10],
          source: `replica promotion, which the RDS User Guide says "can take several minutes or longer, depending on the size of the read replica"${config.dr.mode === "pilot-light" ? "; NAT gateways and endpoints are created alongside" : ""}`,
        }
      : { minutes: [2, 4], source: "NAT gateway and interface endpoint creation (a few minutes each, in parallel)" },
  });

  steps.push(scaleStep(config, config.dr.mode !== "pilot-light"));
  return [...steps, ...trafficSteps(config)];
}

/** The mode a standby returns to after a fail-back: serving when it takes a share of the viewers, else warm-standby. */
export function standbyModeAfterFailback(config: EnvironmentConfig): DrMode {
  return hasGlobalDatabase(config) && config.dr.standbyTrafficPercent > 0 ? "serving" : "warm-standby";
}

/**
 * The return of an Aurora environment to its primary region: the global database's switchover
 * (no data loss) makes the primary region's cluster the writer again; no copy, no state surgery.
 */
function auroraFailbackSteps(config: EnvironmentConfig): RunbookStep[] {
  const n = names(config);
  const primaryRegion = `--region ${config.region}`;
  const mode = standbyModeAfterFailback(config);
  return [
    {
      title: `Check that ${config.environment}'s cluster is back in the global database`,
      why: `After a failover, ${config.environment}'s old primary rejoins the global database as a secondary once ${config.region} is healthy; the switchover needs it there and available. If it is not listed, or stays unavailable, stop here (docs/disaster-recovery.md, "Aurora").`,
      commands: [
        `aws rds describe-global-clusters --global-cluster-identifier ${n.globalCluster} ${primaryRegion} --query 'GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter]' --output text | grep ':cluster:${n.primaryAurora}'`,
        `aws rds wait db-cluster-available --db-cluster-identifier ${n.primaryAurora} ${primaryRegion}`,
      ],
    },
    {
      title: `Switch the global database over to ${config.region}`,
      why: `A switchover, not a failover: ${AURORA_GLOBAL.switchover}. Plan it in a quiet hour.`,
      commands: [
        `aws rds switchover-global-cluster --global-cluster-identifier ${n.globalCluster} --target-db-cluster-identifier ${clusterArn(config, config.region, n.primaryAurora)} ${primaryRegion}`,
        `until aws rds describe-global-clusters --global-cluster-identifier ${n.globalCluster} ${primaryRegion} --query 'GlobalClusters[0].GlobalClusterMembers[?IsWriter].DBClusterArn' --output text | grep -q ':cluster:${n.primaryAurora}$'; do sleep 10; done`,
      ],
    },
    {
      title: `Deploy ${config.environment}`,
      why: "Restores the primary's configuration, the distribution's origins included (CloudFront goes back to the primary ALB).",
      commands: [deployCommand(config.environment)],
    },
    {
      title: `Record ${n.stack} as ${mode} again`,
      why: `Back to the standby's usual mode: its tasks read its secondary again and forward their writes to ${config.region}.`,
      commands: [],
      setting: { path: modeSetting(config.environment), value: mode },
    },
    {
      title: `Deploy ${n.stack} as a standby`,
      why: "The standby's tasks back on the reader endpoint with write forwarding, at the standby's task count.",
      commands: [deployCommand(n.stack)],
    },
  ];
}

/** The ordered steps of returning to the primary region once it is healthy again. */
export function failbackSteps(config: EnvironmentConfig): RunbookStep[] {
  refuseWithoutStandby(config);
  if (hasGlobalDatabase(config)) return auroraFailbackSteps(config);
  const n = names(config);
  const primaryRegion = `--region ${config.region}`;
  const hasReplica = config.database.enabled && config.dr.databaseReplica;
  const steps: RunbookStep[] = [];
  if (hasReplica) {
    steps.push(
      {
        title: "Keep the old primary database for the record",
        why: `It holds the writes the replica had not received when the region failed. Rename it out of the way (deletion protection stays on); compare or drop it later.`,
        commands: [
          `aws rds modify-db-instance --db-instance-identifier ${n.primaryDb} --new-db-instance-identifier ${n.setAsideDb} --apply-immediately ${primaryRegion}`,
          `aws rds wait db-instance-available --db-instance-identifier ${n.setAsideDb} ${primaryRegion}`,
        ],
      },
      {
        title: `Copy the standby's database back to ${config.region}`,
        why: `A cross-region read replica of the promoted standby, under the primary's name, encrypted with ${config.environment}'s database key, in ${config.environment}'s subnet group.`,
        commands: [
          `aws rds create-db-instance-read-replica --db-instance-identifier ${n.primaryDb} --source-db-instance-identifier "$(aws rds describe-db-instances --db-instance-identifier ${n.replica} --region ${n.drRegion} --query 'DBInstances[0].DBInstanceArn' --output text)" --db-subnet-group-name ${n.primaryDb} --kms-key-id alias/${keyAliasName({ project: config.project, environment: config.environment }, "database")} ${primaryRegion}`,
          `aws rds wait db-instance-available --db-instance-identifier ${n.primaryDb} ${primaryRegion}`,
        ],
      },
      {
        title: "Stop writes, let the copy catch up, promote it",
        why: "A short maintenance window: scale the standby to 0 so nothing writes, then promote the copy.",
        commands: [
          `aws ecs update-service --cluster ${n.cluster} --service ${SERVICE_NAME} --desired-count 0 --region ${n.drRegion} --query 'service.desiredCount'`,
          `aws rds promote-read-replica --db-instance-identifier ${n.primaryDb} --backup-retention-period ${config.database.backupRetentionDays} ${primaryRegion}`,
          `aws rds wait db-instance-available --db-instance-identifier ${n.primaryDb} ${primaryRegion}`,
        ],
      },
      {
        title: `Point ${config.environment}'s state at the new database`,
        why: "The provider tracks a database by its resource id, which the copy does not share with the renamed original.",
        commands: [
          `npm run synth`,
          `terraform -chdir=cdktf.out/stacks/${config.environment} init -input=false`,
          `terraform -chdir=cdktf.out/stacks/${config.environment} state rm aws_db_instance.database`,
          `terraform -chdir=cdktf.out/stacks/${config.environment} import aws_db_instance.database ${n.primaryDb}`,
        ],
      },
    );
  }
  steps.push({
    title: `Deploy ${config.environment}`,
    why: "Restores the primary's configuration, the distribution's origins included (CloudFront goes back to the primary ALB).",
    commands: [deployCommand(config.environment)],
  });
  steps.push({
    title: `Record ${n.stack} as a standby again`,
    why: "Back to the standby's usual mode (warm-standby).",
    commands: [],
    setting: { path: modeSetting(config.environment), value: "warm-standby" },
  });
  if (hasReplica) {
    steps.push({
      title: `Replace the standby's database with a fresh replica`,
      why: "A standalone database cannot become a replica again: keep a final snapshot, let go of it in the standby's state, delete it, and let the deploy create a new replica of the primary.",
      commands: [
        `aws rds create-db-snapshot --db-instance-identifier ${n.replica} --db-snapshot-identifier ${n.replica}-after-failover --region ${n.drRegion}`,
        `aws rds wait db-snapshot-available --db-snapshot-identifier ${n.replica}-after-failover --region ${n.drRegion}`,
        `aws rds modify-db-instance --db-instance-identifier ${n.replica} --no-deletion-protection --apply-immediately --region ${n.drRegion}`,
        `aws rds delete-db-instance --db-instance-identifier ${n.replica} --skip-final-snapshot --region ${n.drRegion}`,
        `aws rds wait db-instance-deleted --db-instance-identifier ${n.replica} --region ${n.drRegion}`,
        `terraform -chdir=cdktf.out/stacks/${n.stack} init -input=false`,
        `terraform -chdir=cdktf.out/stacks/${n.stack} state rm aws_db_instance.replica`,
      ],
    });
  }
  steps.push({
    title: `Deploy ${n.stack} as a standby`,
    why: "A new replica of the primary, the service back at the standby's task count.",
    commands: [deployCommand(n.stack)],
  });
  return steps;
}

/** Low and high minutes of a failover, from the outage (detection and decision included). */
export function recoveryMinutes(config: EnvironmentConfig, steps = failoverSteps(config)): [number, number] {
  const parts = [detection(config), { minutes: DECISION_MINUTES, source: "" }, ...steps.flatMap((s) => (s.budget ? [s.budget] : []))];
  return [parts.reduce((n, b) => n + b.minutes[0], 0), parts.reduce((n, b) => n + b.minutes[1], 0)];
}
