import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";
import {
  clusterName,
  LOG_GROUP_PREFIX,
  type NameContext,
  namePrefix,
  pipelineRoleName,
  PRIMARY_ID,
  repositoryName,
  standbyNames,
  taskFamilyName,
} from "../config/naming";
import { arn, type DeploymentContext, managedPolicyArn, s3Arn } from "./context";
import { Role, type Statement } from "./iam";
import { GLOBAL_REGION } from "./providers";
import { workingHoursScheduleArn } from "./working-hours";
import { LOG_DELIVERY_ACTIONS } from "../policy/rules";

/** What a deployer does to a log group it manages by name. */
const LOG_GROUP_ACTIONS = [
  "logs:CreateLogGroup",
  "logs:DeleteLogGroup",
  "logs:PutRetentionPolicy",
  "logs:AssociateKmsKey",
  "logs:TagResource",
  "logs:UntagResource",
  "logs:TagLogGroup",
] as const;

/** GitHub Actions' OIDC issuer and the audience AWS's credentials action asks for. */
export const GITHUB_OIDC = { host: "token.actions.githubusercontent.com", audience: "sts.amazonaws.com" } as const;

/**
 * The account's IAM OIDC provider for GitHub Actions (one per issuer per account), or the ARN
 * of the one the account already has.
 */
export class GithubOidcProvider extends Construct {
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: { readonly context: DeploymentContext; readonly create: boolean }) {
    super(scope, id);
    if (props.create) {
      // No thumbprint: IAM verifies GitHub's certificate against its own trusted CAs.
      this.arn = new IamOpenidConnectProvider(this, PRIMARY_ID, {
        url: `https://${GITHUB_OIDC.host}`,
        clientIdList: [GITHUB_OIDC.audience],
        tags: { Name: "github-actions" },
      }).arn;
    } else {
      this.arn = arn(props.context, { service: "iam", region: "", resource: `oidc-provider/${GITHUB_OIDC.host}` });
    }
  }
}

/** A statement of a pipeline role, with the reason a reviewer reads in docs/ci/README.md. */
export interface ExplainedStatement extends Statement {
  readonly sid: string;
  /** Why the statement is needed, and why it is not narrower where it could look broad. */
  readonly why: string;
}

/** What one environment's pipeline roles need to know about it. */
export interface PipelineEnvironment {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  /** Primary region of the environment. */
  readonly region: string;
  /** The DR region (replicas, backup copies, the state bucket). */
  readonly drRegion: string;
  /** Deploys come from a protected GitHub environment of the same name, not from a branch. */
  readonly protectedDeploys: boolean;
  /** Name of the state bucket and this environment's key in it. */
  readonly stateBucket: string;
  readonly stateKey: string;
  /**
   * The environment's DR standby (`<env>-dr`), which its pipeline deploys after it: the standby's
   * state key; the deployer then also works in the DR region on the standby's serving
   * resources (names begin `<project>-<env>-dr-`). @default no standby
   */
  readonly standbyStateKey?: string;
  /** The environment has an Aurora cluster (and with a standby, a global database). @default false */
  readonly aurora?: boolean;
  /** The environment has ElastiCache caches. @default false */
  readonly cache?: boolean;
  /** CloudFront runs the standby-share function (both regions serving). @default false */
  readonly edgeFunction?: boolean;
  /** The service keeps working hours: scheduled actions and EventBridge Scheduler schedules (WorkingHours). @default false */
  readonly workingHours?: boolean;
}

export interface PipelineRolesProps {
  /** Account, partition and the project's names (`environment` is the deployed environment's). */
  readonly context: DeploymentContext;
  readonly environment: PipelineEnvironment;
  /** `owner/name` of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /** Branch that publishes and deploys environments without protected deploys. */
  readonly mainBranch: string;
  /** ARN of GitHub's OIDC provider in the account. */
  readonly oidcProviderArn: string;
}

/**
 * The three roles a pipeline uses for one environment, each assumable only by GitHub Actions
 * runs of one repository in the context it serves (the `sub` claim), never with stored keys:
 * - `image-publisher`: push to this environment's ECR repository;
 * - `plan-reader`: read state and describe resources, for `cdktf diff` on pull requests;
 * - `deployer`: what `cdktf deploy <env>` changes, on resources named or tagged for it.
 */
export class PipelineRoles extends Construct {
  public readonly imagePublisher: Role;
  public readonly planReader: Role;
  public readonly deployer: Role;
  /** Every statement of every role, by role, for the documentation. */
  public readonly statements: Readonly<Record<"image-publisher" | "plan-reader" | "deployer", readonly ExplainedStatement[]>>;

  constructor(scope: Construct, id: string, props: PipelineRolesProps) {
    super(scope, id);
    const env = props.environment;
    const repo = `repo:${props.repository}`;
    const deploySubject = env.protectedDeploys ? `${repo}:environment:${env.name}` : `${repo}:ref:refs/heads/${props.mainBranch}`;
    const trust = (subjects: string[]): Statement[] => [
      {
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
        condition: [
          { test: "StringEquals", variable: `${GITHUB_OIDC.host}:aud`, values: [GITHUB_OIDC.audience] },
          { test: "StringEquals", variable: `${GITHUB_OIDC.host}:sub`, values: subjects },
        ],
      },
    ];
    const statements = {
      "image-publisher": publisherStatements(props.context, env),
      "plan-reader": [...stateStatements(props.context, env, "read"), ...describeStatements(props.context, env)],
      deployer: [
        ...stateStatements(props.context, env, "write"),
        ...describeStatements(props.context, env),
        ...deployStatements(props.context, env),
        ...scaleStatements(props.context, env),
      ],
    };
    this.statements = statements;
    const role = (job: keyof typeof statements, subjects: string[]) =>
      new Role(this, job, {
        name: pipelineRoleName(props.context.names.project, env.name, job),
        trust: trust(subjects),
        statements: statements[job].map(({ why: _why, ...statement }) => statement),
        maxSessionDuration: 3600,
        // A deployer's statements outgrow IAM's 10,240 characters of inline policy per role.
        permissions: job === "deployer" ? { kind: "managed", context: props.context } : { kind: "inline" },
      });
    // The publisher pushes where the deploy happens: prod's image from prod's protected environment.
    this.imagePublisher = role("image-publisher", [deploySubject]);
    this.planReader = role("plan-reader", [`${repo}:pull_request`, `${repo}:ref:refs/heads/${props.mainBranch}`]);
    this.deployer = role("deployer", [deploySubject]);
  }
}

/** The names of the environment's resources (src/config/naming.ts builds each). */
const namesOf = (ctx: DeploymentContext, env: PipelineEnvironment): NameContext => ({ project: ctx.names.project, environment: env.name });

/** Names of the environment's resources begin `<project>-<env>-` (its standby's too: `<project>-<env>-dr-`). */
const prefixOf = (ctx: DeploymentContext, env: PipelineEnvironment) => namePrefix(namesOf(ctx, env));

/** Regions where the environment serves: the primary, and the DR region when it has a standby. */
const servingRegions = (env: PipelineEnvironment) => (env.standbyStateKey ? [env.region, env.drRegion] : [env.region]);

/** The environment's ECS cluster and its services, and its standby's in the DR region. */
function clusterArns(ctx: DeploymentContext, env: PipelineEnvironment): string[] {
  const names = namesOf(ctx, env);
  const clusters: [string, string][] = [[env.region, clusterName(names)]];
  if (env.standbyStateKey) clusters.push([env.drRegion, clusterName(standbyNames(names))]);
  return clusters.flatMap(([region, cluster]) => [
    arn(ctx, { service: "ecs", region, resource: `cluster/${cluster}` }),
    arn(ctx, { service: "ecs", region, resource: `service/${cluster}/*` }),
  ]);
}

/** Every revision of the dashboard's task definition family, and its standby's in the DR region. */
function taskDefinitionArns(ctx: DeploymentContext, env: PipelineEnvironment): string[] {
  const names = namesOf(ctx, env);
  const families: [string, string][] = [[env.region, taskFamilyName(names)]];
  if (env.standbyStateKey) families.push([env.drRegion, taskFamilyName(standbyNames(names))]);
  return families.map(([region, family]) => arn(ctx, { service: "ecs", region, resource: `task-definition/${family}:*` }));
}

function publisherStatements(ctx: DeploymentContext, env: PipelineEnvironment): ExplainedStatement[] {
  return [
    {
      sid: "EcrAuthorization",
      effect: "Allow",
      actions: ["ecr:GetAuthorizationToken"],
      resources: ["*"],
      why: "docker login; the token is account-wide and the action has no resource-level permissions",
    },
    {
      sid: "PushDashboardImage",
      effect: "Allow",
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
      resources: [arn(ctx, { service: "ecr", region: env.region, resource: `repository/${repositoryName(namesOf(ctx, env))}` })],
      why: "docker push to this environment's repository only; no pull, no delete (tags are immutable)",
    },
  ];
}

function stateStatements(ctx: DeploymentContext, env: PipelineEnvironment, mode: "read" | "write"): ExplainedStatement[] {
  const keys = [env.stateKey, ...(env.standbyStateKey ? [env.standbyStateKey] : [])];
  const states = keys.map((key) => s3Arn(ctx, `${env.stateBucket}/${key}`));
  const standby = env.standbyStateKey ? " (and its standby's)" : "";
  return [
    {
      sid: "ListOwnState",
      effect: "Allow",
      actions: ["s3:ListBucket"],
      resources: [s3Arn(ctx, env.stateBucket)],
      condition: [{ test: "StringEquals", variable: "s3:prefix", values: keys.flatMap((key) => [key, `${key}.tflock`]) }],
      why: `the S3 backend checks for its state object; only this environment's key${standby}`,
    },
    {
      sid: mode === "read" ? "ReadOwnState" : "ReadWriteOwnState",
      effect: "Allow",
      actions: mode === "read" ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject"],
      resources: states,
      why: mode === "read" ? `plan reads this environment's state${standby}, no other` : `deploy writes this environment's state${standby}, no other`,
    },
    {
      sid: "HoldOwnStateLock",
      effect: "Allow",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: states.map((state) => `${state}.tflock`),
      why: `the S3 lock file (use_lockfile) of this environment's state${standby}: a plan takes the lock too`,
    },
  ];
}

/**
 * Read-only calls a plan makes to refresh the environment's resources. Describe/List/Get of
 * configuration only: no object reads, secret values, key use or log events (student data).
 */
function describeStatements(ctx: DeploymentContext, env: PipelineEnvironment): ExplainedStatement[] {
  const prefix = prefixOf(ctx, env);
  const regions = [env.region, env.drRegion];
  return [
    {
      sid: "DescribeUnscopable",
      effect: "Allow",
      actions: [
        "ec2:Describe*",
        "elasticloadbalancing:Describe*",
        "application-autoscaling:Describe*",
        "ecs:DescribeTaskDefinition",
        "kms:ListAliases",
        "logs:DescribeLogGroups",
      ],
      resources: ["*"],
      why: "describe calls of the refresh: most have no resource-level permissions, and the few of ec2:Describe* that accept one (DescribeInstanceAttribute, DescribeVpcAttribute, ...) would need EC2's generated ids; none returns data",
    },
    {
      sid: "DescribeOwnResources",
      effect: "Allow",
      actions: [
        "ecs:DescribeClusters",
        "ecs:DescribeServices",
        "ecs:ListTagsForResource",
        "rds:DescribeDBInstances",
        "rds:DescribeDBParameterGroups",
        "rds:DescribeDBParameters",
        "rds:DescribeDBSubnetGroups",
        "rds:DescribeDBInstanceAutomatedBackups",
        "rds:ListTagsForResource",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:GetDashboard",
        "cloudwatch:ListTagsForResource",
        "sns:GetTopicAttributes",
        "sns:GetSubscriptionAttributes",
        "sns:ListTagsForResource",
        "sns:ListSubscriptionsByTopic",
        "ecr:DescribeRepositories",
        "ecr:DescribeImages",
        "ecr:GetLifecyclePolicy",
        "ecr:ListTagsForResource",
        "secretsmanager:DescribeSecret",
        "logs:ListTagsForResource",
        "logs:ListTagsLogGroup",
      ],
      resources: [
        ...clusterArns(ctx, env),
        ...regions.flatMap((region) => [
          arn(ctx, { service: "rds", region, resource: `db:${prefix}*` }),
          arn(ctx, { service: "rds", region, resource: `auto-backup:*` }),
        ]),
        ...servingRegions(env).flatMap((region) => [
          arn(ctx, { service: "rds", region, resource: `pg:${prefix}*` }),
          arn(ctx, { service: "rds", region, resource: `subgrp:${prefix}*` }),
          arn(ctx, { service: "cloudwatch", region, resource: `alarm:${prefix}*` }),
          arn(ctx, { service: "sns", region, resource: `${prefix}*` }),
          // the standby's image is the replica ECR keeps under the same name
          arn(ctx, { service: "ecr", region, resource: `repository/${repositoryName(namesOf(ctx, env))}` }),
          arn(ctx, { service: "logs", region, resource: "log-group:*" }),
        ]),
        arn(ctx, { service: "cloudwatch", region: "", resource: `dashboard/${prefix}*` }),
        arn(ctx, { service: "secretsmanager", region: env.region, resource: "secret:rds!*" }),
        arn(ctx, { service: "logs", region: GLOBAL_REGION, resource: "log-group:*" }),
      ],
      why: "the environment's resources by name where AWS names them; the database secret's description, never its value",
    },
    {
      sid: "DescribeEdge",
      effect: "Allow",
      actions: [
        "cloudfront:Get*",
        "cloudfront:List*",
        "wafv2:Get*",
        "wafv2:List*",
        "logs:GetDeliverySource",
        "logs:GetDeliveryDestination",
        "logs:GetDelivery",
        "logs:DescribeDeliveries",
        "logs:DescribeDeliverySources",
        "logs:DescribeDeliveryDestinations",
      ],
      resources: [
        arn(ctx, { service: "cloudfront", region: "", resource: "*" }),
        arn(ctx, { service: "wafv2", region: "*", resource: "*" }),
        arn(ctx, { service: "logs", region: GLOBAL_REGION, resource: "*" }),
      ],
      why: "CloudFront, WAF and log-delivery ids are generated: this account's, read-only",
    },
    ...(env.workingHours
      ? [
          {
            sid: "DescribeWorkingHours",
            effect: "Allow",
            actions: ["scheduler:GetSchedule"],
            resources: [workingHoursScheduleArns(ctx, env)],
            why: "the schedules that silence and resume the alarms outside working hours, by name (their scheduled actions are read by application-autoscaling:Describe*)",
          },
          scheduleKeyUse(
            ctx,
            env,
            "ReadEncryptedSchedules",
            ["kms:Decrypt"],
            "a schedule's payload (alarm names) is encrypted with the environment's alerts key; reading it back decrypts through Scheduler only",
          ),
        ]
      : []),
    ...(env.aurora || env.cache
      ? [
          {
            sid: "DescribeAuroraAndCache",
            effect: "Allow",
            actions: [
              ...(env.aurora
                ? ["rds:DescribeDBClusters", "rds:DescribeDBClusterParameterGroups", "rds:DescribeDBClusterParameters", "rds:DescribeGlobalClusters"]
                : []),
              ...(env.cache
                ? [
                    "elasticache:DescribeReplicationGroups",
                    "elasticache:DescribeCacheClusters",
                    "elasticache:DescribeCacheParameterGroups",
                    "elasticache:DescribeCacheParameters",
                    "elasticache:DescribeCacheSubnetGroups",
                    "elasticache:DescribeUsers",
                    "elasticache:DescribeUserGroups",
                    "elasticache:ListTagsForResource",
                  ]
                : []),
            ],
            resources: [...(env.aurora ? auroraArns(ctx, env) : []), ...(env.cache ? cacheArns(ctx, env) : [])],
            why: "the Aurora clusters, global database and caches of this environment, by name; configuration only",
          },
        ]
      : []),
    {
      sid: "ReadBucketConfiguration",
      effect: "Allow",
      actions: [
        "s3:GetBucket*",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:GetAccelerateConfiguration",
      ],
      resources: [s3Arn(ctx, `${prefix}*`)],
      why: "bucket settings of this environment's buckets; no object reads or listings",
    },
    {
      sid: "ReadKeyConfiguration",
      effect: "Allow",
      actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
      resources: regions.map((region) => arn(ctx, { service: "kms", region, resource: "key/*" })),
      why: "key settings in the environment's regions (key ids are generated, so the ARN cannot name them); no encrypt or decrypt",
    },
    {
      sid: "ReadRoleConfiguration",
      effect: "Allow",
      actions: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
      resources: [arn(ctx, { service: "iam", region: "", resource: `role/${prefix}*` })],
      why: "this environment's roles only",
    },
  ];
}

/** The environment's Aurora resources by name, in both regions: clusters, their parameter groups and final snapshots, the global database. */
function auroraArns(ctx: DeploymentContext, env: PipelineEnvironment): string[] {
  const prefix = prefixOf(ctx, env);
  return [
    ...[env.region, env.drRegion].flatMap((region) =>
      ["cluster", "cluster-pg", "cluster-snapshot", "db", "subgrp"].map((kind) => arn(ctx, { service: "rds", region, resource: `${kind}:${prefix}*` })),
    ),
    // Global databases live in no region.
    arn(ctx, { service: "rds", region: "", resource: `global-cluster:${prefix}*` }),
  ];
}

/** The environment's ElastiCache resources by name, in the regions it serves from. */
function cacheArns(ctx: DeploymentContext, env: PipelineEnvironment): string[] {
  const prefix = prefixOf(ctx, env);
  return servingRegions(env).flatMap((region) =>
    ["replicationgroup", "cluster", "parametergroup", "subnetgroup", "user", "usergroup", "snapshot"].map((kind) =>
      arn(ctx, { service: "elasticache", region, resource: `${kind}:${prefix}*` }),
    ),
  );
}

/** The environment's EventBridge Scheduler schedules (in the default group), by name. */
function workingHoursScheduleArns(ctx: DeploymentContext, env: PipelineEnvironment): string {
  return workingHoursScheduleArn(ctx, namesOf(ctx, env), env.region);
}

/**
 * Use of the environment's keys by EventBridge Scheduler for the working-hours schedules, whose
 * payloads it encrypts: `actions` through Scheduler only, in those schedules' encryption context.
 */
function scheduleKeyUse(ctx: DeploymentContext, env: PipelineEnvironment, sid: string, actions: string[], why: string): ExplainedStatement {
  return {
    sid,
    effect: "Allow",
    actions,
    resources: [arn(ctx, { service: "kms", region: env.region, resource: "key/*" })],
    condition: [
      { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: [env.name] },
      { test: "StringEquals", variable: "kms:ViaService", values: [`scheduler.${env.region}.amazonaws.com`] },
      { test: "ArnLike", variable: "kms:EncryptionContext:aws:scheduler:schedule:arn", values: [workingHoursScheduleArns(ctx, env)] },
    ],
    why,
  };
}

/** What deploying Aurora, the caches, the standby-share function and working hours changes, when the environment has them. */
function scaleStatements(ctx: DeploymentContext, env: PipelineEnvironment): ExplainedStatement[] {
  const prefix = prefixOf(ctx, env);
  const statements: ExplainedStatement[] = [];
  if (env.aurora) {
    statements.push({
      sid: "ManageAurora",
      effect: "Allow",
      actions: [
        "rds:CreateDBCluster",
        "rds:ModifyDBCluster",
        "rds:DeleteDBCluster",
        "rds:CreateDBInstance",
        "rds:ModifyDBInstance",
        "rds:DeleteDBInstance",
        "rds:CreateDBClusterParameterGroup",
        "rds:ModifyDBClusterParameterGroup",
        "rds:DeleteDBClusterParameterGroup",
        "rds:CreateGlobalCluster",
        "rds:ModifyGlobalCluster",
        "rds:DeleteGlobalCluster",
        "rds:RemoveFromGlobalCluster",
        "rds:AddTagsToResource",
        "rds:RemoveTagsFromResource",
      ],
      resources: auroraArns(ctx, env),
      why: "the Aurora clusters, their instances and parameter groups and the global database, by name; no failover or switchover (the runbook's operator does those)",
    });
  }
  if (env.cache) {
    statements.push(
      {
        sid: "ManageCache",
        effect: "Allow",
        actions: [
          "elasticache:CreateReplicationGroup",
          "elasticache:ModifyReplicationGroup",
          "elasticache:DeleteReplicationGroup",
          "elasticache:CreateCacheParameterGroup",
          "elasticache:ModifyCacheParameterGroup",
          "elasticache:DeleteCacheParameterGroup",
          "elasticache:CreateCacheSubnetGroup",
          "elasticache:ModifyCacheSubnetGroup",
          "elasticache:DeleteCacheSubnetGroup",
          "elasticache:CreateUser",
          "elasticache:ModifyUser",
          "elasticache:DeleteUser",
          "elasticache:CreateUserGroup",
          "elasticache:ModifyUserGroup",
          "elasticache:DeleteUserGroup",
          "elasticache:AddTagsToResource",
          "elasticache:RemoveTagsFromResource",
        ],
        resources: cacheArns(ctx, env),
        why: "the caches, their parameter and subnet groups, users and final snapshots, by name",
      },
      {
        sid: "ManageCacheLogs",
        effect: "Allow",
        actions: [...LOG_GROUP_ACTIONS],
        resources: servingRegions(env).map((region) => arn(ctx, { service: "logs", region, resource: `log-group:${LOG_GROUP_PREFIX.cache}${prefix}*` })),
        why: "the caches' slow and engine log groups, by name",
      },
      {
        sid: "DeliverCacheLogs",
        effect: "Allow",
        actions: [...LOG_DELIVERY_ACTIONS],
        resources: ["*"],
        why: "ElastiCache delivers its logs through CloudWatch Logs' vended-log delivery with the caller's permissions; these actions have no resource-level permissions",
      },
    );
  }
  if (env.workingHours) {
    statements.push(
      {
        sid: "ManageWorkingHoursActions",
        effect: "Allow",
        actions: ["application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction"],
        resources: [arn(ctx, { service: "application-autoscaling", region: env.region, resource: "scalable-target/*" })],
        why: "the scheduled actions that start and stop the service; scalable targets are named by generated ids: this account's, in the primary region (a standby runs around the clock)",
      },
      {
        sid: "ManageWorkingHoursSchedules",
        effect: "Allow",
        actions: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"],
        resources: [workingHoursScheduleArns(ctx, env)],
        why: "the schedules that silence and resume the alarms outside working hours, by name",
      },
      scheduleKeyUse(
        ctx,
        env,
        "EncryptSchedules",
        ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
        "creating a schedule encrypts its payload with the environment's alerts key: through Scheduler only, for those schedules",
      ),
      {
        sid: "PassScheduleRole",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: [arn(ctx, { service: "iam", region: "", resource: `role/${prefix}*` })],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["scheduler.amazonaws.com"] }],
        why: "hand the schedules their role (this environment's roles only) when creating them",
      },
    );
  }
  if (env.edgeFunction) {
    statements.push({
      sid: "ManageEdgeFunction",
      effect: "Allow",
      actions: [
        "cloudfront:CreateFunction",
        "cloudfront:UpdateFunction",
        "cloudfront:PublishFunction",
        "cloudfront:DeleteFunction",
        "cloudfront:DescribeFunction",
        "cloudfront:GetFunction",
      ],
      resources: [arn(ctx, { service: "cloudfront", region: "", resource: `function/${prefix}*` })],
      why: "the standby-share function, by name",
    });
  }
  return statements;
}

/** What `cdktf deploy <env>` changes: each service's writes, on the environment's resources where AWS can name them. */
function deployStatements(ctx: DeploymentContext, env: PipelineEnvironment): ExplainedStatement[] {
  const prefix = prefixOf(ctx, env);
  const inRegions = (service: string, resource: string, account?: string) =>
    [env.region, env.drRegion].map((region) => arn(ctx, { service, region, account, resource }));
  const role = arn(ctx, { service: "iam", region: "", resource: `role/${prefix}*` });
  const ofEnvironment = [{ test: "StringEquals", variable: "aws:ResourceTag/Environment", values: [env.name] }];
  return [
    {
      sid: "ManageNetwork",
      effect: "Allow",
      actions: [
        "ec2:Create*",
        "ec2:Delete*",
        "ec2:Modify*",
        "ec2:Associate*",
        "ec2:Disassociate*",
        "ec2:Allocate*",
        "ec2:Release*",
        "ec2:Attach*",
        "ec2:Detach*",
        "ec2:Authorize*",
        "ec2:Revoke*",
        "ec2:Replace*",
        "ec2:Update*",
      ],
      resources: inRegions("ec2", "*"),
      why: "VPC, subnets, routes, NAT, endpoints, security groups: EC2 ids are generated, so nothing can be named before it exists; this account's EC2 in the environment's regions (the DR standby's network too). The broadest grant of the deployer, which is why prod deploys wait for approval",
    },
    {
      sid: "ManageLoadBalancer",
      effect: "Allow",
      actions: [
        "elasticloadbalancing:Create*",
        "elasticloadbalancing:Delete*",
        "elasticloadbalancing:Modify*",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
        "elasticloadbalancing:SetSecurityGroups",
      ],
      resources: servingRegions(env).flatMap((region) => [
        arn(ctx, { service: "elasticloadbalancing", region, resource: `loadbalancer/app/${prefix}*` }),
        arn(ctx, { service: "elasticloadbalancing", region, resource: `targetgroup/${prefix}*` }),
        arn(ctx, { service: "elasticloadbalancing", region, resource: `listener/app/${prefix}*` }),
        arn(ctx, { service: "elasticloadbalancing", region, resource: `listener-rule/app/${prefix}*` }),
      ]),
      why: "the ALB, its listeners and target group, by name (the standby's too)",
    },
    {
      sid: "ManageService",
      effect: "Allow",
      actions: [
        "ecs:CreateCluster",
        "ecs:DeleteCluster",
        "ecs:UpdateCluster",
        "ecs:PutClusterCapacityProviders",
        "ecs:CreateService",
        "ecs:UpdateService",
        "ecs:DeleteService",
        "ecs:TagResource",
        "ecs:UntagResource",
      ],
      resources: clusterArns(ctx, env),
      why: "the cluster and its service, by name (the standby's too); a new image tag is an UpdateService",
    },
    {
      sid: "RegisterTaskDefinitions",
      effect: "Allow",
      // A tagged registration (the provider's default tags) is also authorized as ecs:TagResource on the new revision (ECS: tag on create).
      actions: ["ecs:RegisterTaskDefinition", "ecs:TagResource"],
      resources: taskDefinitionArns(ctx, env),
      why: "new revisions of the dashboard's task definition family (the standby's too), by name, with their tags",
    },
    {
      sid: "DeregisterTaskDefinitions",
      effect: "Allow",
      actions: ["ecs:DeregisterTaskDefinition"],
      resources: ["*"],
      why: "Terraform deregisters a replaced revision; the Service Authorization Reference as the project last read it lists no resource type for DeregisterTaskDefinition, and an ARN would deny an action that has none",
    },
    {
      sid: "ManageRoles",
      effect: "Allow",
      actions: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
      ],
      resources: [role],
      why: "this environment's roles only (names begin with the environment's prefix; the CI roles' do not)",
    },
    {
      sid: "AttachOnlyKnownManagedPolicies",
      effect: "Allow",
      actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      resources: [role],
      condition: [{ test: "ArnEquals", variable: "iam:PolicyARN", values: [managedPolicyArn(ctx, "service-role/AmazonRDSEnhancedMonitoringRole")] }],
      why: "the one AWS managed policy an environment role uses; nothing else can be attached",
    },
    {
      sid: "PassOwnRolesToTheirServices",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [role],
      condition: [
        {
          test: "StringEquals",
          variable: "iam:PassedToService",
          values: ["ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com", "s3.amazonaws.com", "monitoring.rds.amazonaws.com"],
        },
      ],
      why: "hand the environment's roles to the services that use them, and only to those",
    },
    {
      sid: "CreateServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [arn(ctx, { service: "iam", region: "", resource: "role/aws-service-role/*" })],
      condition: [
        {
          test: "StringEquals",
          variable: "iam:AWSServiceName",
          values: [
            "ecs.amazonaws.com",
            "elasticloadbalancing.amazonaws.com",
            "rds.amazonaws.com",
            "autoscaling.amazonaws.com",
            "ecs.application-autoscaling.amazonaws.com",
            ...(env.cache ? ["elasticache.amazonaws.com"] : []),
          ],
        },
      ],
      why: "the first deploy in an account creates these AWS-defined roles",
    },
    {
      sid: "ManageBuckets",
      effect: "Allow",
      actions: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:PutBucket*",
        "s3:DeleteBucket*",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutReplicationConfiguration",
        "s3:PutAccelerateConfiguration",
      ],
      resources: [s3Arn(ctx, `${prefix}*`)],
      why: "bucket settings of the environment's buckets, by name; no object reads or writes (student data)",
    },
    {
      sid: "CreateKeys",
      effect: "Allow",
      actions: ["kms:CreateKey"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:RequestTag/Environment", values: [env.name] }],
      why: "CreateKey has no resource to name; the key must carry the environment's tag (the provider's default tags)",
    },
    {
      sid: "ManageOwnKeys",
      effect: "Allow",
      actions: [
        "kms:EnableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:UpdateKeyDescription",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:UpdateAlias",
      ],
      resources: inRegions("kms", "key/*"),
      condition: ofEnvironment,
      why: "keys tagged with this environment, in its regions",
    },
    {
      sid: "NameOwnKeys",
      effect: "Allow",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: inRegions("kms", `alias/${prefix}*`),
      why: "aliases carry the environment's prefix",
    },
    {
      sid: "LetServicesUseOwnKeys",
      effect: "Allow",
      actions: ["kms:CreateGrant"],
      resources: inRegions("kms", "key/*"),
      condition: [...ofEnvironment, { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
      why: "RDS and ECR encrypt with the environment's keys through grants on the caller's behalf; only for AWS resources",
    },
    {
      sid: "ManageLogGroups",
      effect: "Allow",
      actions: [...LOG_GROUP_ACTIONS],
      resources: [
        ...servingRegions(env).map((region) => arn(ctx, { service: "logs", region, resource: `log-group:${LOG_GROUP_PREFIX.service}${prefix}*` })),
        ...inRegions("logs", `log-group:${LOG_GROUP_PREFIX.flowLogs}${prefix}*`),
        arn(ctx, { service: "logs", region: "*", resource: `log-group:${LOG_GROUP_PREFIX.waf}${prefix}*` }),
        ...inRegions("logs", `log-group:${LOG_GROUP_PREFIX.rds}${prefix}*`),
      ],
      why: "the environment's log groups, by name",
    },
    {
      sid: "ManageLogDelivery",
      effect: "Allow",
      actions: [
        "logs:PutDeliverySource",
        "logs:DeleteDeliverySource",
        "logs:PutDeliveryDestination",
        "logs:DeleteDeliveryDestination",
        "logs:CreateDelivery",
        "logs:DeleteDelivery",
        "logs:TagResource",
      ],
      resources: [
        arn(ctx, { service: "logs", region: GLOBAL_REGION, resource: `delivery-source:${prefix}*` }),
        arn(ctx, { service: "logs", region: GLOBAL_REGION, resource: `delivery-destination:${prefix}*` }),
        arn(ctx, { service: "logs", region: GLOBAL_REGION, resource: "delivery:*" }),
      ],
      why: "CloudFront access-log delivery (us-east-1); delivery ids are generated",
    },
    {
      sid: "ManageDatabase",
      effect: "Allow",
      actions: [
        "rds:CreateDBInstance",
        "rds:CreateDBInstanceReadReplica",
        "rds:ModifyDBInstance",
        "rds:DeleteDBInstance",
        "rds:CreateDBParameterGroup",
        "rds:ModifyDBParameterGroup",
        "rds:DeleteDBParameterGroup",
        "rds:CreateDBSubnetGroup",
        "rds:ModifyDBSubnetGroup",
        "rds:DeleteDBSubnetGroup",
        "rds:AddTagsToResource",
        "rds:RemoveTagsFromResource",
        "rds:StartDBInstanceAutomatedBackupsReplication",
        "rds:StopDBInstanceAutomatedBackupsReplication",
      ],
      resources: [...inRegions("rds", `db:${prefix}*`), ...inRegions("rds", `pg:${prefix}*`), ...inRegions("rds", `subgrp:${prefix}*`)],
      why: "the database (and its standby's cross-region replica), its parameter and subnet groups, by name (deletion protection and the final snapshot still guard prod)",
    },
    {
      sid: "LetRdsManageTheMasterSecret",
      effect: "Allow",
      actions: ["secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:RotateSecret", "secretsmanager:DeleteSecret"],
      resources: [arn(ctx, { service: "secretsmanager", region: env.region, resource: "secret:rds!*" })],
      why: "RDS creates and rotates the master-user secret with the caller's permissions; RDS names those secrets rds!...; no GetSecretValue",
    },
    {
      sid: "ManageAlerts",
      effect: "Allow",
      actions: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:TagResource",
        "sns:UntagResource",
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
        "cloudwatch:PutDashboard",
        "cloudwatch:DeleteDashboards",
      ],
      resources: [
        ...inRegions("sns", `${prefix}*`),
        ...inRegions("cloudwatch", `alarm:${prefix}*`),
        arn(ctx, { service: "cloudwatch", region: "", resource: `dashboard/${prefix}*` }),
      ],
      why: "the alerts topics, alarms and dashboard, by name, in the environment's regions",
    },
    {
      sid: "ManageScaling",
      effect: "Allow",
      actions: [
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:TagResource",
      ],
      resources: servingRegions(env).map((region) => arn(ctx, { service: "application-autoscaling", region, resource: "scalable-target/*" })),
      why: "scalable targets are named by generated ids: this account's, in the regions the environment serves from",
    },
    {
      sid: "ManageRepository",
      effect: "Allow",
      actions: [
        "ecr:CreateRepository",
        "ecr:DeleteRepository",
        "ecr:PutLifecyclePolicy",
        "ecr:DeleteLifecyclePolicy",
        "ecr:PutImageScanningConfiguration",
        "ecr:PutImageTagMutability",
        "ecr:TagResource",
        "ecr:UntagResource",
      ],
      resources: [arn(ctx, { service: "ecr", region: env.region, resource: `repository/${repositoryName(namesOf(ctx, env))}` })],
      why: "the environment's repository, by name; no image pushes or deletes (the publisher pushes)",
    },
    {
      sid: "ManageEdge",
      effect: "Allow",
      actions: [
        "cloudfront:CreateDistribution",
        "cloudfront:UpdateDistribution",
        "cloudfront:DeleteDistribution",
        "cloudfront:TagResource",
        "cloudfront:UntagResource",
        "cloudfront:CreateOriginAccessControl",
        "cloudfront:UpdateOriginAccessControl",
        "cloudfront:DeleteOriginAccessControl",
        "cloudfront:CreateCachePolicy",
        "cloudfront:UpdateCachePolicy",
        "cloudfront:DeleteCachePolicy",
        "cloudfront:CreateResponseHeadersPolicy",
        "cloudfront:UpdateResponseHeadersPolicy",
        "cloudfront:DeleteResponseHeadersPolicy",
        "cloudfront:CreateVpcOrigin",
        "cloudfront:UpdateVpcOrigin",
        "cloudfront:DeleteVpcOrigin",
        "wafv2:CreateWebACL",
        "wafv2:UpdateWebACL",
        "wafv2:DeleteWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "wafv2:PutLoggingConfiguration",
        "wafv2:DeleteLoggingConfiguration",
        "wafv2:TagResource",
        "wafv2:UntagResource",
      ],
      resources: [
        arn(ctx, { service: "cloudfront", region: "", resource: "*" }),
        arn(ctx, { service: "wafv2", region: "*", resource: `*/webacl/${prefix}*/*` }),
        arn(ctx, { service: "wafv2", region: "*", account: "", resource: "*/managedruleset/*/*" }),
        ...servingRegions(env).map((region) => arn(ctx, { service: "elasticloadbalancing", region, resource: `loadbalancer/app/${prefix}*` })),
      ],
      why: "CloudFront ids are generated, so its resources are this account's; web ACLs by name, the AWS managed rule groups they use, and the ALB they may protect",
    },
  ];
}
