/**
 * Moving an environment from its RDS PostgreSQL instance to Aurora PostgreSQL, as data: the
 * steps of the phase the environment's settings are in, with their exact commands and the
 * settings each phase records. `npm run migrate` prints them (and runs them with --execute),
 * beside the failover runbook (dr-runbook.ts), whose step shape it shares.
 *
 * 1. replicate: the Aurora cluster is created as a read replica of the instance; the tasks stay
 *    on the instance.
 * 2. promote: in a write-free window, the replica is promoted and the tasks move to Aurora; the
 *    instance stays, untouched, until the move is verified ("promoted").
 * 3. retire: a last snapshot of the instance, which is then deleted outside Terraform and removed
 *    from the state, so no plan ever destroys aws_db_instance.database.
 */
import type { EnvironmentConfig } from "../../../src/validation";
import { hasGlobalDatabase } from "../../../src/validation/rules";
import { deployCommand, type RunbookStep } from "./dr-runbook";
import { plural } from "./words";
import { auroraClusterName, clusterName, dbInstanceName, drStackName, SERVICE_NAME, standbyNames, taskFamilyName } from "../../../src/config/naming";

/** The phases of a move to Aurora, in order. */
export type MigrationPhase = "replicate" | "promote" | "retire";

/** The path of a database setting of `environment` in cdktf.json's context. */
export const databaseSetting = (environment: string, key: string) => `context.deployment.environments.${environment}.database.${key}`;

/** The phase an environment's settings put it in; throws when there is nothing to move. */
export function migrationPhase(config: EnvironmentConfig): MigrationPhase {
  const { database } = config;
  if (!database.enabled)
    throw new Error(`environment "${config.environment}" has no database (database.enabled is false): there is nothing to move to Aurora.`);
  if (database.migration === "replicating") return "promote";
  if (database.engine === "postgres") return "replicate";
  if (database.migration === "promoted") return "retire";
  if (database.migration === "instance-kept") {
    throw new Error(
      `environment "${config.environment}" is set to use Aurora, but nothing records that its RDS instance's data moved there (database.migration "instance-kept"). If ${config.environment} runs on its instance, set database.engine "postgres" (and, with a standby, dr.mode "warm-standby" and dr.standbyTrafficPercent 0) in its settings file (environments/${config.environment}.json) and run npm run migrate -- ${config.environment} again; if it never had data in an instance, set database.migration "instance-retired".`,
    );
  }
  throw new Error(
    `environment "${config.environment}" already runs on Aurora without an RDS instance (database.migration "instance-retired"): there is nothing to move.`,
  );
}

function names(config: EnvironmentConfig) {
  const primary = { project: config.project, environment: config.environment };
  return {
    instance: dbInstanceName(primary),
    cluster: auroraClusterName(primary),
    ecsCluster: clusterName(primary),
    replica: dbInstanceName(standbyNames(primary)),
    stack: config.environment,
    drStack: drStackName(config.environment),
  };
}

const setting = (title: string, why: string, path: string, value: unknown): RunbookStep => ({ title, why, commands: [], setting: { path, value } });

/** Phase 1: the Aurora cluster as a read replica of the instance, the tasks still on the instance. */
function replicateSteps(config: EnvironmentConfig): RunbookStep[] {
  const n = names(config);
  const region = `--region ${config.region}`;
  const steps: RunbookStep[] = [
    {
      title: "Check the instance's engine version",
      why: `Read-only. The Aurora read replica runs the instance's major with a minor at or above the instance's: database.aurora.engineVersion is "${config.database.aurora.engineVersion}"; raise it in the environment's settings file first if the instance is ahead.`,
      commands: [
        `aws rds describe-db-instances --db-instance-identifier ${n.instance} ${region} --query 'DBInstances[0].[EngineVersion,DBInstanceStatus]' --output text`,
      ],
    },
    setting(
      "Keep the tasks on the instance",
      "database.engine stays postgres while Aurora catches up (a size preset may choose Aurora).",
      databaseSetting(config.environment, "engine"),
      "postgres",
    ),
    setting(
      "Record the migration's first phase",
      "The Aurora cluster is created as a read replica of the instance (replication_source_identifier); nothing of the instance changes.",
      databaseSetting(config.environment, "migration"),
      "replicating",
    ),
  ];
  steps.push(
    {
      title: `Deploy ${n.stack}`,
      why: "Creates the Aurora cluster and its instances, replicating the instance: RDS snapshots the instance and then streams its changes. `npm run review` shows the cluster created beside the kept instance.",
      commands: [deployCommand(n.stack)],
    },
    {
      title: "Wait for the replica to catch up",
      why: "Read-only. Promotion comes in phase 2, once ReplicaLag is near 0 in quiet hours; until then the tasks use the instance. Run `npm run migrate` again for phase 2.",
      commands: [
        `aws rds wait db-cluster-available --db-cluster-identifier ${n.cluster} ${region}`,
        `aws cloudwatch get-metric-statistics --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${n.cluster}-a --statistics Maximum --period 60 --start-time "$(date -u -d '-15 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" ${region}`,
      ],
    },
  );
  return steps;
}

/** Phase 2: promotion in a write-free window, the tasks moved to Aurora, the instance kept. */
function promoteSteps(config: EnvironmentConfig): RunbookStep[] {
  const n = names(config);
  const region = `--region ${config.region}`;
  const ecs = `--cluster ${n.ecsCluster} --service ${SERVICE_NAME} ${region}`;
  const lag = `aws cloudwatch get-metric-statistics --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${n.cluster}-a --statistics Maximum --period 60 --start-time "$(date -u -d '-5 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" ${region} --query 'max(Datapoints[].Maximum)' --output text`;
  const global = hasGlobalDatabase({ ...config, database: { ...config.database, engine: "aurora-postgresql" } });
  return [
    {
      title: "Open the write-free window: stop the tasks",
      why: "Nothing may write to the instance while the replica takes its last changes and is promoted (Aurora User Guide, promoting a read replica: stop writes, wait for ReplicaLag 0, promote). Viewers see the ALB's 503 until the tasks come back.",
      commands: [
        `aws ecs update-service ${ecs} --desired-count 0 --query 'service.desiredCount'`,
        `aws ecs wait services-stable ${ecs.replace("--service", "--services")}`,
      ],
    },
    {
      title: "Wait until the replica has every change",
      why: "ReplicaLag 0: the Aurora cluster holds everything the instance holds.",
      commands: [`until [ "$(${lag})" = "0.0" ]; do sleep 30; done`],
    },
    {
      title: "Promote the Aurora cluster",
      why: 'The cluster stops replicating and becomes a standalone, writable cluster, with the instance\'s data, users and database. "The promotion process can take several minutes or longer, depending on the size of the read replica" (Aurora User Guide).',
      commands: [
        `aws rds promote-read-replica-db-cluster --db-cluster-identifier ${n.cluster} ${region}`,
        `aws rds wait db-cluster-available --db-cluster-identifier ${n.cluster} ${region}`,
      ],
    },
    setting(
      "Move the tasks to Aurora",
      "database.engine aurora-postgresql: the tasks get the cluster's endpoints.",
      databaseSetting(config.environment, "engine"),
      "aurora-postgresql",
    ),
    setting(
      "Keep the instance until the move is verified",
      'database.migration "promoted": the instance stays as it is, the rollback while it does (set engine postgres and migration "instance-kept" again).',
      databaseSetting(config.environment, "migration"),
      "promoted",
    ),
    {
      title: `Deploy ${n.stack}`,
      why: `The tasks' definition moves to Aurora${global ? "; the global database is created from the cluster, and the master password becomes one nobody holds (IAM authentication, docs/operations.md)" : "; RDS starts managing the cluster's master password in Secrets Manager"}. The service stays at 0 tasks (the deploy does not set the count).`,
      commands: [deployCommand(n.stack)],
    },
    {
      title: "Close the window: start the tasks",
      why: `Back to ${plural(config.service.desiredCount, "task")}, now on Aurora.`,
      commands: [
        `aws ecs update-service ${ecs} --desired-count ${config.service.desiredCount} --query 'service.desiredCount'`,
        `aws ecs wait services-stable ${ecs.replace("--service", "--services")}`,
      ],
    },
    ...(config.dr.enabled
      ? [
          {
            title: `Deploy ${n.drStack}`,
            why: global
              ? "Adds the Aurora secondary to the global database; the instance's replica stays until the instance retires. Set dr.mode (e.g. serving) in the environment's settings file first if the standby should serve."
              : "The standby's tasks follow the engine; the instance's replica stays until the instance retires.",
            commands: [deployCommand(n.drStack)],
          },
        ]
      : []),
  ];
}

/** Phase 3: the instance (and its DR replica) deleted with a last snapshot, outside Terraform. */
function retireSteps(config: EnvironmentConfig): RunbookStep[] {
  const n = names(config);
  const region = `--region ${config.region}`;
  const drRegion = `--region ${config.stateRegion}`;
  const snapshot = `${n.instance}-retired`;
  const hasReplica = config.dr.enabled && config.dr.databaseReplica;
  return [
    {
      title: "Check that the tasks use Aurora",
      why: "Read-only. Retire the instance only once the move is verified (the team's sign-off: the app's checks against Aurora, a day of normal traffic at least).",
      commands: [
        `aws ecs describe-task-definition --task-definition ${taskFamilyName({ project: config.project, environment: config.environment })} ${region} --query "taskDefinition.containerDefinitions[0].environment[?name=='DB_HOST'].value" --output text | grep -q '${n.cluster}.cluster-'`,
      ],
    },
    ...(hasReplica
      ? [
          {
            title: "Delete the instance's DR replica",
            why: "First, because RDS would promote a replica whose source is deleted. The global database's secondary is the standby's copy now; the replica goes from the standby's state as the instance will from prod's.",
            commands: [
              `aws rds modify-db-instance --db-instance-identifier ${n.replica} --no-deletion-protection --apply-immediately ${drRegion}`,
              `aws rds delete-db-instance --db-instance-identifier ${n.replica} --skip-final-snapshot ${drRegion}`,
              `aws rds wait db-instance-deleted --db-instance-identifier ${n.replica} ${drRegion}`,
              `terraform -chdir=cdktf.out/stacks/${n.drStack} init -input=false`,
              `terraform -chdir=cdktf.out/stacks/${n.drStack} state rm aws_db_instance.replica`,
            ],
          },
        ]
      : []),
    {
      title: "Take the instance's last snapshot and delete it",
      why: `The snapshot ${snapshot} is the instance's last state, kept until your retention policy lets it go. The instance is deleted here, not by Terraform: no plan destroys aws_db_instance.database.`,
      commands: [
        `aws rds modify-db-instance --db-instance-identifier ${n.instance} --no-deletion-protection --apply-immediately ${region}`,
        `aws rds delete-db-instance --db-instance-identifier ${n.instance} --final-db-snapshot-identifier ${snapshot} ${region}`,
        `aws rds wait db-instance-deleted --db-instance-identifier ${n.instance} ${region}`,
        "npm run synth",
        `terraform -chdir=cdktf.out/stacks/${n.stack} init -input=false`,
        `terraform -chdir=cdktf.out/stacks/${n.stack} state rm aws_db_instance.database`,
      ],
    },
    setting(
      "Record the instance as retired",
      'database.migration "instance-retired": the configuration no longer has the instance.',
      databaseSetting(config.environment, "migration"),
      "instance-retired",
    ),
    {
      title: `Deploy ${n.stack}${config.dr.enabled ? ` and ${n.drStack}` : ""}`,
      why: "Removes what only served the instance (its subnet and parameter groups, security group, alarms, monitoring role); none holds data.",
      commands: [deployCommand(n.stack), ...(config.dr.enabled ? [deployCommand(n.drStack)] : [])],
    },
  ];
}

/** The steps of the phase `config` is in (migrationPhase). */
export function migrationSteps(config: EnvironmentConfig): RunbookStep[] {
  switch (migrationPhase(config)) {
    case "replicate":
      return replicateSteps(config);
    case "promote":
      return promoteSteps(config);
    case "retire":
      return retireSteps(config);
  }
}
