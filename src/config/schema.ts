import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { AURORA_POSTGRESQL_CLASSES, type ClassTable, classRefusal, ELASTICACHE_NODE_TYPES, RDS_POSTGRESQL_CLASSES } from "../aws/instance-classes";
import { partitionOf, regionSuggestions, ZONE_NAME } from "../aws/regions";
import { CLOCK, isTimeZone, parseDays } from "../aws/schedules";
import { tagProblems } from "../aws/tags";
import { parseDailyWindow, parseWeeklyWindow, WEEK_DAYS } from "../aws/windows";
import { refusal, shown } from "./messages";

/**
 * The one shape of an environment's configuration. Field-level rules live here; rules that
 * relate several fields (CIDR containment, scaling bounds, ...) live in `rules.ts`.
 * Every message says what is wrong and how to fix it, because it is printed to the person
 * running `cdktf synth`.
 */

// The offline plan skips the provider's region check, so an unknown region is refused here.
const region = z.string().superRefine((value, ctx) => {
  if (partitionOf(value)) return;
  const suggestions = regionSuggestions(value)
    .slice(0, 6)
    .map((r) => `"${r}"`)
    .join(", ");
  ctx.addIssue({
    code: "custom",
    message: `"${value}" is not an AWS region (src/aws/regions.ts lists them; an offline plan does not check regions). Fix: use a region such as ${suggestions}; if AWS has opened it since, add it to src/aws/regions.ts.`,
  });
});

/**
 * An IPv4 CIDR block AWS and Terraform accept: a network address, no bit set after the prefix
 * (`cidrsubnet` and the EC2 API refuse "10.0.0.1/16"). `mask`: the prefix lengths AWS allows.
 */
const cidr = (mask?: { readonly min: number; readonly max: number; readonly what: string }) =>
  // Aborting: a malformed block is one problem, without a guess at its network address too.
  z
    .cidrv4({
      ...refusal("must be an IPv4 CIDR block: four numbers from 0 to 255 and a prefix length from 0 to 32", 'write it as e.g. "10.0.0.0/16"'),
      abort: true,
    })
    .superRefine((value, ctx) => {
      if (!ipaddr.IPv4.isValidCIDR(value)) return;
      const [, prefix] = ipaddr.IPv4.parseCIDR(value);
      const network = `${ipaddr.IPv4.networkAddressFromCIDR(value).toString()}/${prefix}`;
      if (network !== value) {
        ctx.addIssue({
          code: "custom",
          message: `"${value}" is not a network address: bits after /${prefix} are set, which Terraform and AWS refuse. Fix: did you mean "${network}"?`,
        });
      }
      if (mask && (prefix < mask.min || prefix > mask.max)) {
        ctx.addIssue({
          code: "custom",
          message: `"${value}" is a /${prefix}; AWS allows ${mask.what} from /${mask.min} to /${mask.max}. Fix: choose a prefix length in that range.`,
        });
      }
    });

// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html: a VPC's and a subnet's
// IPv4 block is between a /16 and a /28.
const vpcCidr = cidr({ min: 16, max: 28, what: "a VPC" });
const subnetCidr = cidr({ min: 16, max: 28, what: "a subnet" });

const arn = (service: string, example: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:.+$`),
      refusal(`must be an ${service} ARN`, `copy the ARN from ${service}, such as "${example}"`),
    );

const certificateArn = arn("acm", "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-...");

/** The IAM role name rules (IAM API, CreateRole): a path of `/`-separated parts, then 1-64 of letters, digits and +=,.@_- . */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** The IAM role Terraform assumes to reach an account (the provider's and the state backend's assume_role). */
export const deployRoleArn = z
  .string()
  .regex(
    ROLE_ARN,
    refusal(
      "must be an IAM role ARN (arn:aws:iam::<account id>:role/<name>)",
      'copy the role\'s ARN from IAM, e.g. "arn:aws:iam::123456789012:role/terraform-deploy"',
    ),
  );

/** Refuses a tag value AWS would refuse (src/aws/tags.ts). */
const refuseTagValue = (value: string, ctx: z.RefinementCtx) => {
  for (const { rule, fix } of tagProblems(value, "value")) ctx.addIssue({ code: "custom", message: `is ${shown(value)}; it ${rule}. Fix: ${fix}.` });
};

/** Tags AWS accepts (src/aws/tags.ts): a refused key is reported on the section, a refused value on its key. */
const tags = z.record(z.string(), z.string().superRefine(refuseTagValue)).superRefine((record, ctx) => {
  for (const key of Object.keys(record)) {
    for (const { rule, fix } of tagProblems(key, "key")) ctx.addIssue({ code: "custom", message: `has the tag key ${shown(key)}; it ${rule}. Fix: ${fix}.` });
  }
});

/**
 * A CORS origin as browsers send it in the Origin header: scheme://host[:port], no path; S3 takes
 * "*" or an origin with at most one "*" (S3 API, CORSRule AllowedOrigins).
 */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/\s*]*\*?[^/\s*]*$/;

/** The origin a refused one was meant to be: a scheme added, a path dropped, one "*" kept. */
const originMeant = (value: unknown): string => {
  const text = String(value);
  const [scheme, rest] = (text.includes("://") ? text : `https://${text}`).split("://");
  const host = rest.split("/")[0];
  return `${scheme}://${(host.match(/\*/g) ?? []).length > 1 ? `*.${host.replace(/\*\.?/g, "")}` : host}`;
};

// Aborting: an empty origin is "empty", without a scheme to add too.
const corsOrigin = z
  .string()
  .min(1, { abort: true })
  .refine(
    (v) => v === "*" || ORIGIN.test(v),
    refusal(
      (v) =>
        String(v).includes("://")
          ? 'must be an origin as a browser sends it, scheme://host[:port] with no path and at most one "*", or it never matches'
          : "must start with its scheme (https://): a browser's Origin always has one, so an origin without it never matches",
      (v) => `write ${JSON.stringify(originMeant(v))}`,
    ),
  );

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const logRetentionDays = z
  .number()
  .int()
  .refine(
    (days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days),
    refusal(`must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(", ")}`, "use the nearest of them"),
  );

const positiveInt = z.number().int().positive();

const readers = refusal("must be 0-15", "set 0 to 15 readers");
const days35 = refusal("must be 0-35", "set 0 to 35 days");
const cacheReplicas = refusal("must be 1-5: automatic failover needs a replica", "set 1 to 5 replicas");
const percent = refusal("must be 0-100", "set a percentage from 0 to 100");

/** CloudWatch alarm periods and windows here are whole minutes. */
const wholeMinutes = z.number().int().min(60).multipleOf(60, refusal("must be a multiple of 60 (whole minutes)", "round it to whole minutes, e.g. 60 or 300"));

const postgresIdentifier = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/,
    refusal("must be a PostgreSQL identifier: a letter, then up to 62 letters, digits or underscores", 'write e.g. "dashboard"'),
  );

export const networkSchema = z.strictObject({
  vpcCidr: vpcCidr.meta({ description: 'The VPC\'s range (seed "VPC Configuration"): a network address, /16 to /28.' }),
  publicSubnetCidrs: z.array(subnetCidr).meta({
    description: "Public subnets (NAT gateways; the ALB without CloudFront): one per availability zone, in the zones' order, inside the VPC, not overlapping.",
  }),
  privateSubnetCidrs: z.array(subnetCidr).meta({
    description:
      "Private subnets (tasks, database, endpoints, the ALB behind CloudFront): one per availability zone, in the zones' order, inside the VPC, not overlapping.",
  }),
  natGateways: z.enum(["one-per-az", "single", "none"]).meta({
    description:
      "NAT gateways: one per AZ (seed, survives an AZ outage), a single shared one (seed cost optimisation, -$32/month) or none (tasks reach AWS only through VPC endpoints).",
  }),
  flowLogRetentionDays: logRetentionDays.meta({ description: "Days the VPC flow log group keeps its logs (a CloudWatch Logs retention value)." }),
  interfaceEndpoints: z.boolean().meta({
    description:
      'Interface endpoints for ECR (api, dkr), CloudWatch Logs and Secrets Manager in each private subnet, so tasks reach their control plane without the NAT (about $7.30 per endpoint per zone per month; the dev preset leaves them off: at its traffic the NAT carries those bytes for less, npm run cost -- --detail gives the break-even). With natGateways "none" the endpoints the tasks need are created whatever this says. The S3 gateway endpoint is always on (free).',
  }),
});

export const serviceSchema = z.strictObject({
  cpu: positiveInt.meta({ description: "Fargate CPU units of a task; with memory, a pair Fargate offers (seed)." }),
  memory: positiveInt.meta({ description: "Fargate memory of a task in MiB (seed)." }),
  desiredCount: z.number().int().min(0).meta({ description: 'Tasks running after the first deploy, within minCount..maxCount (seed "Desired Count").' }),
  minCount: z.number().int().min(0).meta({ description: "Autoscaling lower bound (seed)." }),
  maxCount: positiveInt.meta({ description: "Autoscaling upper bound (seed)." }),
  imageTag: z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
      refusal("must be a Docker image tag (letters, digits, _ . -; at most 128)", "set the tag the image was pushed with, e.g. the git SHA"),
    )
    .refine((tag) => tag !== "latest", refusal('must not be "latest": the repository has immutable tags', "push the git SHA as the tag and set it here"))
    .meta({ description: 'Immutable ECR tag the service runs: deploys push a new tag (the git SHA) and set it here; never "latest".' }),
  containerPort: z.number().int().min(1).max(65535).meta({ description: "Streamlit's port on the tasks (seed)." }),
  healthCheckPath: z
    .string()
    .regex(/^\/\S*$/, refusal("must be an absolute path", 'start it with "/", e.g. "/_stcore/health"'))
    .meta({ description: "Streamlit's health endpoint, checked by the ALB (seed)." }),
  healthCheckGracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(2147483647)
    .meta({ description: "Seconds the service ignores failing health checks after a task starts (model loading)." }),
  logRetentionDays: logRetentionDays.meta({ description: "Retention of the application log group." }),
  fargateSpot: z.boolean().meta({
    description:
      "Run tasks on Fargate Spot (seed cost optimisation, about -70% per Spot task): fargateOnDemandBase tasks stay on regular Fargate, the rest go to Spot and may be interrupted (2 minutes' notice; ECS starts a replacement).",
  }),
  assignPublicIp: z.boolean().meta({
    description:
      'Run the tasks in the public subnets with a public IPv4 address each ($3.65 a month), reaching ECR, CloudWatch and S3 directly instead of through a NAT gateway or interface endpoints (seed cost optimisation "use public subnets"). Inbound still only from the ALB. Only without protected data and with network.natGateways "none": the sandbox preset.',
  }),
  fargateOnDemandBase: z.number().int().min(0).max(100000).meta({
    description:
      "With fargateSpot: tasks kept on regular Fargate (the capacity provider strategy's base), so the service stays up when AWS reclaims Spot capacity. 0 puts every task on Spot (a sandbox that may go down for a few minutes).",
  }),
  cpuArchitecture: z.enum(["X86_64", "ARM64"]).meta({
    description:
      'CPU architecture of the tasks (the task definition\'s runtime platform): "X86_64", or "ARM64" for Graviton, which Fargate bills about 20% lower per vCPU and GB (npm run cost prices both). The image must be built for it: the pipeline (docs/ci) builds each environment\'s image for the architecture its task definition names. Fargate Spot runs ARM64 tasks on platform version 1.4.0 or later, which the service\'s LATEST is.',
  }),
  workingHours: z
    .strictObject({
      enabled: z.boolean().meta({
        description:
          'Scale the service to zero outside working hours and silence the alarms that fire without tasks (docs/operations.md, "Working hours (dev and sandboxes)"). Refused where protectData is on: prod serves around the clock.',
      }),
      timeZone: z
        .string()
        .refine(
          isTimeZone,
          refusal(
            "must be an IANA time zone name (Area/Location of the tz database), not an abbreviation or an offset",
            'write e.g. "America/New_York" or "Europe/London"',
          ),
        )
        .meta({ description: "Time zone of start and stop, as an IANA name; the schedules follow its daylight saving time." }),
      start: z
        .string()
        .regex(CLOCK, refusal('must be a time of day "HH:MM" from 00:00 to 23:59', 'write e.g. "08:00"'))
        .meta({ description: "Local time the service starts on each of days: desiredCount tasks, then the minCount..maxCount range once warmed up." }),
      stop: z
        .string()
        .regex(CLOCK, refusal('must be a time of day "HH:MM" from 00:00 to 23:59, after start on the same day', 'write e.g. "20:00"'))
        .meta({ description: "Local time the service scales to zero on each of days; later than start on the same day." }),
      days: z
        .string()
        .superRefine((value, ctx) => {
          const parsed = parseDays(value);
          if ("problem" in parsed) ctx.addIssue({ code: "custom", message: `is ${shown(value)}; it ${parsed.problem}. Fix: ${parsed.fix}.` });
        })
        .meta({ description: 'Days the service runs, as an AWS cron day-of-week field: "MON-FRI", "MON,WED,FRI", "SUN-SAT".' }),
    })
    .meta({ description: "Working hours of a non-production service: outside them the service runs no task and costs no Fargate hours." }),
  metricNamespace: z
    .string()
    .regex(/^[A-Za-z0-9._/#:-]{1,255}$/, refusal("must be a CloudWatch namespace (1-255 letters, digits, . _ / # : -)", 'write e.g. "StudentMHDashboard"'))
    .refine((ns) => !ns.startsWith("AWS/"), refusal('must not start with "AWS/", which is reserved for AWS services', 'drop "AWS/", e.g. "StudentMHDashboard"'))
    .meta({ description: "Namespace of the app's custom metrics (Prediction Count, High Risk Prediction Count)." }),
  scaling: z
    .strictObject({
      cpuHighPercent: z.number().min(1).max(100).meta({ description: "Add a task when average CPU is above this for scaleOutSeconds." }),
      cpuLowPercent: z
        .number()
        .min(0)
        .max(99)
        .meta({ description: "Remove a task when CPU is below this (and memory below memoryLowPercent) for scaleInSeconds." }),
      memoryHighPercent: z.number().min(1).max(100).meta({ description: "Add a task when average memory is above this for scaleOutSeconds." }),
      memoryLowPercent: z
        .number()
        .min(0)
        .max(99)
        .meta({ description: "Remove a task when memory is below this (and CPU below cpuLowPercent) for scaleInSeconds." }),
      scaleOutSeconds: wholeMinutes.meta({ description: "Seconds above a high threshold before scaling out." }),
      scaleInSeconds: wholeMinutes.meta({ description: "Seconds below both low thresholds before scaling in." }),
      scaleOutCooldownSeconds: z.number().int().min(0).meta({ description: "Cooldown after scaling out." }),
      scaleInCooldownSeconds: z.number().int().min(0).meta({ description: "Cooldown after scaling in." }),
    })
    .meta({ description: 'Seed "Auto-scaling Policies".' }),
});

export const loadBalancerSchema = z.strictObject({
  ingressCidrs: z
    .array(cidr())
    .min(1, refusal("must list at least one CIDR", 'list who may reach the ALB, e.g. ["0.0.0.0/0"]'))
    .meta({ description: "Who may reach an internet-facing ALB on 80, and on 443 with loadBalancer.httpsEnabled (seed: everyone); unused behind CloudFront." }),
  httpsEnabled: z.boolean().meta({ description: "HTTPS listener on 443 (then 80 redirects to it; behind CloudFront, 443 only)." }),
  targetProtocol: z.enum(["HTTP", "HTTPS"]).meta({
    description:
      "Protocol from the ALB to the tasks. HTTPS encrypts the hop inside the VPC too: the image must then serve TLS on the container port with the certificate and key at the paths the task passes in STREAMLIT_SERVER_SSL_CERT_FILE / STREAMLIT_SERVER_SSL_KEY_FILE (a self-signed pair baked into the image is enough; the ALB does not validate it).",
  }),
  certificateArn: certificateArn.optional().meta({ description: "ACM certificate in the primary region for the HTTPS listener; required when httpsEnabled." }),
  idleTimeoutSeconds: z.number().int().min(1).max(4000).meta({ description: "Seconds an idle connection (Streamlit's websocket) is kept." }),
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).meta({ description: "Seconds a deregistering task keeps serving." }),
});

export const storageSchema = z.strictObject({
  bucketSuffix: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,19}$/,
      refusal("must be 1-20 lower-case letters, digits or hyphens, starting with a letter or digit", 'write e.g. "ab12", or remove it to use the account id'),
    )
    .optional()
    .meta({ description: "Last part of every bucket name, which makes it globally unique; unset means the account id." }),
  forceDestroy: z
    .boolean()
    .meta({ description: "Let `terraform destroy` delete buckets (and the ECR repository) that still hold objects. Refused where protectData is on." }),
  noncurrentVersionExpirationDays: positiveInt.meta({ description: "Days a replaced or deleted object version is kept in versioned buckets." }),
  logsTransitionDays: positiveInt.meta({
    description: "Days before ALB, S3 and CloudFront access logs move to STANDARD_IA (seed: 30); at least 30, S3's minimum for STANDARD_IA.",
  }),
  logsExpirationDays: positiveInt.meta({ description: "Days before access logs expire (seed: 90; prod keeps an audit year)." }),
  dataExpirationDays: positiveInt.optional().meta({
    description: "Days before objects in the data bucket (datasets, predictions) expire; unset keeps them until deleted (a records-retention decision).",
  }),
  replicateModels: z.boolean().meta({ description: 'Replicate the models bucket to the DR region (seed "Cross-region S3 replication for models").' }),
  replicateData: z.boolean().meta({ description: "Replicate the data bucket (predictions) to the DR region." }),
  staticAssets: z.boolean().meta({ description: "Static assets bucket for CloudFront (seed: optional)." }),
  corsAllowedOrigins: z
    .array(corsOrigin)
    .min(1, refusal("must list at least one origin", 'list the origins that load the static assets, e.g. ["https://dashboard.example.edu"]'))
    .meta({
      description:
        'Origins allowed by the static bucket\'s CORS rule (GET/HEAD): "*", or scheme://host[:port] as browsers send it, e.g. "https://dashboard.example.edu".',
    }),
});

export const registrySchema = z.strictObject({
  keepImages: positiveInt.meta({ description: "Images kept by the ECR lifecycle policy (seed: keep last 10 images)." }),
});

/**
 * An instance class or node type: its form, then a family and size of `table`
 * (src/aws/instance-classes.ts). Aborting: a value of the wrong form is one problem.
 */
const instanceClass = (form: RegExp, formRefusal: ReturnType<typeof refusal>, table: ClassTable, what: string, except?: string) => {
  const refused = (v: unknown) => (v === except ? undefined : classRefusal(String(v), table, what));
  return z
    .string()
    .regex(form, { ...formRefusal, abort: true })
    .refine(
      (v) => refused(v) === undefined,
      refusal(
        (v) => refused(v)?.rule ?? "",
        (v) => refused(v)?.fix ?? "",
      ),
    );
};

/** The shortest window a service accepts (src/aws/windows.ts). */
interface WindowMinimum {
  readonly minutes: number;
  readonly service: string;
}

const atLeast = (minimum: WindowMinimum, length: (v: string) => number | undefined, example: string) =>
  [
    (v: string) => (length(v) ?? 0) >= minimum.minutes,
    refusal(
      `must last at least ${minimum.minutes} minutes (${minimum.service})`,
      `end it at least ${minimum.minutes} minutes after it starts, e.g. "${example}"`,
    ),
  ] as const;

/** A daily UTC window. Aborting: a window of the wrong form is one problem, without a length too. */
const utcWindow = (minimum?: WindowMinimum) => {
  const form = z.string().refine((v) => parseDailyWindow(v) !== undefined, {
    ...refusal('must be "hh:mm-hh:mm" in UTC, hours 00-23 and minutes 00-59', 'write e.g. "03:00-04:00"'),
    abort: true,
  });
  return minimum ? form.refine(...atLeast(minimum, (v) => parseDailyWindow(v)?.minutes, "03:00-04:00")) : form;
};

/** A weekly UTC window. */
const weeklyWindow = (minimum: WindowMinimum) =>
  z
    .string()
    .refine((v) => parseWeeklyWindow(v) !== undefined, {
      ...refusal(`must be "ddd:hh:mm-ddd:hh:mm" in UTC, ddd one of ${WEEK_DAYS.join(", ")}, hours 00-23 and minutes 00-59`, 'write e.g. "sun:04:30-sun:05:30"'),
      abort: true,
    })
    .refine(...atLeast(minimum, (v) => parseWeeklyWindow(v)?.minutes, "sun:04:30-sun:05:30"));

/** Aurora capacity units (ACU): Serverless v2 scales in steps of half an ACU, from 0 to 256. */
const acu = z
  .number()
  .min(0)
  .max(256)
  .multipleOf(0.5, refusal("must be a multiple of 0.5 (Serverless v2 scales in half ACUs)", "round it to a half, e.g. 0.5, 1 or 1.5"));

export const auroraSchema = z.strictObject({
  engineVersion: z
    .string()
    .regex(
      /^\d{1,2}\.\d{1,2}$/,
      refusal(
        "must be an exact Aurora PostgreSQL version \"major.minor\": a global database's secondary joins at the primary's exact version",
        'write e.g. "15.10" (config/engines.ts lists the majors and their long-term-support minors)',
      ),
    )
    .meta({
      description:
        "Aurora PostgreSQL version, major.minor (config/engines.ts lists the majors; the presets pick the major's LTS minor). Exact because the DR region's secondary must join at the primary's version; minor upgrades are a change of this setting (auto minor upgrades are off, an upgrade of a global database goes through the global cluster).",
    }),
  instanceClass: instanceClass(
    /^db\.(serverless|[a-z0-9-]+\.[a-z0-9]+)$/,
    refusal("must be an Aurora instance class", 'write e.g. "db.r6g.xlarge", or "db.serverless"'),
    AURORA_POSTGRESQL_CLASSES,
    'an Aurora PostgreSQL instance class, or "db.serverless"',
    "db.serverless",
  ).meta({
    description:
      'Class of every instance of the cluster: a provisioned class (the 100000-users preset: db.r6g.xlarge, for a steady national load) or "db.serverless" (Serverless v2, scaling within minCapacityAcu..maxCapacityAcu, for uneven load).',
  }),
  readers: z.number().int().min(0, readers).max(15, readers).meta({
    description:
      "Reader instances beside the writer, spread over the zones (the writer in the first zone, readers from the second): at least 1 gives a failover target in another zone; the tasks read through the reader endpoint.",
  }),
  minCapacityAcu: acu.meta({
    description: "Serverless v2 lower bound in ACUs (1 ACU is about 2 GiB of memory), when instanceClass is db.serverless; 0 lets an idle cluster pause.",
  }),
  maxCapacityAcu: acu.meta({ description: "Serverless v2 upper bound in ACUs, at least minCapacityAcu and at least 1." }),
  ioOptimized: z.boolean().meta({
    description:
      "Aurora I/O-Optimized storage (aurora-iopt1): no charge per I/O request, about 30% more per instance hour and more per GB; AWS suggests it once I/O is over a quarter of the database bill (npm run cost shows the I/O line). Changeable in place, once every 30 days.",
  }),
  alarms: z
    .strictObject({
      replicaLagMilliseconds: positiveInt.meta({
        description: "Lag (ms) of the slowest reader behind the writer (AuroraReplicaLagMaximum) above which the alarm fires.",
      }),
      freeLocalStorageGb: z
        .number()
        .positive()
        .meta({ description: "Free local storage (GiB, temporary tables and logs) of an instance below which its alarm fires." }),
      globalLagSeconds: positiveInt.meta({
        description:
          "Lag (s) of the DR region's secondary behind the primary (AuroraGlobalDBRPOLag: the data a failover would lose) above which the standby's alarm fires.",
      }),
    })
    .meta({ description: "Aurora alarm thresholds (CPU and connections come from database.alarms)." }),
});

export const databaseSchema = z.strictObject({
  enabled: z.boolean().meta({ description: "RDS PostgreSQL (seed: optional, +$15/month)." }),
  engine: z.enum(["postgres", "aurora-postgresql"]).meta({
    description:
      'The database the tasks use: the RDS PostgreSQL instance, or an Aurora PostgreSQL cluster (the seed\'s 100,000-user step; the 100000-users preset picks it). Moving an environment that has an instance: docs/operations.md, "Moving to Aurora" (database.migration).',
  }),
  migration: z.enum(["instance-kept", "replicating", "promoted", "instance-retired"]).meta({
    description:
      'The RDS instance beside Aurora, and how far its data has moved (npm run migrate records each phase). "instance-kept" (default): the instance stays in the configuration whatever the engine, so choosing Aurora never plans its destroy, and nothing moved yet; "replicating" (with engine postgres): the Aurora cluster is created as a read replica of the instance; "promoted" (with engine aurora-postgresql): the cluster was promoted with the instance\'s data, the instance kept until the move is verified; "instance-retired": the instance is gone from the configuration, for an environment that never had one, or after the move\'s retire step removed it from the state (docs/operations.md, "Moving to Aurora").',
  }),
  aurora: auroraSchema.meta({ description: "The Aurora PostgreSQL cluster, when engine is aurora-postgresql or migration is replicating." }),
  engineVersion: z
    .string()
    .regex(/^1[5-9](\.\d+)?$/, refusal("must be a PostgreSQL version, 15 or later", 'write a major such as "15", or major.minor such as "15.13"'))
    .meta({
      description:
        'PostgreSQL version. A major version ("15") lets RDS pick its current default minor and upgrade minors automatically; the seed\'s 15.4 has been retired by RDS.',
    }),
  majorUpgradeFrom: z
    .string()
    .regex(/^1[5-9]$/, refusal("must be the major version the instance runs before the upgrade", 'write the major alone, e.g. "15"'))
    .optional()
    .meta({
      description:
        'A major upgrade of the RDS instance is under way from this major to engineVersion\'s (e.g. "15" with engineVersion "16"): sets allow_major_version_upgrade, keeps this major\'s parameter group (the instance uses it until RDS upgrades it, in the maintenance window) and keeps the DR replica on it, since RDS takes a replica\'s new parameter group only after the upgrade. Remove it once the instance and its replica run the new major (docs/operations.md, "Upgrading PostgreSQL to a new major version"). Unset (default): a major change of engineVersion is refused by RDS, and the change review says so.',
    }),
  instanceClass: instanceClass(
    /^db\.[a-z0-9-]+\.[a-z0-9]+$/,
    refusal("must be an RDS instance class", 'write e.g. "db.t3.micro"'),
    RDS_POSTGRESQL_CLASSES,
    "an RDS for PostgreSQL instance class",
  ).meta({ description: "RDS instance class (seed: db.t3.micro)." }),
  allocatedStorageGb: z.number().int().min(20).max(65536).meta({ description: "GB of gp3 storage at creation (seed)." }),
  maxAllocatedStorageGb: z.number().int().min(20).max(65536).meta({ description: "Storage autoscaling ceiling in GB, at least allocatedStorageGb (seed)." }),
  multiAz: z
    .boolean()
    .meta({ description: "Standby in a second zone; refused with a single zone, and where the environment has no RDS instance (it would do nothing)." }),
  backupRetentionDays: z
    .number()
    .int()
    .min(0, days35)
    .max(35, days35)
    .meta({ description: "Days of automated backups, 0-35; at least 1 while protectData (seed: 7 prod, 1 dev)." }),
  backupWindow: utcWindow({ minutes: 30, service: "RDS's shortest backup window" }).meta({
    description: "UTC window of the daily backup (instance and Aurora cluster), at least 30 minutes, not overlapping maintenanceWindow.",
  }),
  maintenanceWindow: weeklyWindow({ minutes: 30, service: "RDS's shortest maintenance window" }).meta({
    description: "UTC window of maintenance, at least 30 minutes.",
  }),
  databaseName: postgresIdentifier.meta({ description: "Name of the application database." }),
  masterUsername: postgresIdentifier.meta({ description: "Master user; its password is created and rotated by RDS in Secrets Manager." }),
  monitoringIntervalSeconds: z
    .union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)])
    .meta({ description: "Seconds between enhanced-monitoring samples (0 turns it off)." }),
  replicateBackupsToDr: z
    .boolean()
    .meta({ description: 'Copy automated backups to the DR region (seed "RDS cross-region read replica", as a cheaper backup copy).' }),
  alarms: z
    .strictObject({
      cpuPercent: z.number().min(1).max(100).meta({ description: "Database CPU (%) above which the alarm fires." }),
      freeStorageGb: z.number().positive().meta({ description: "Free storage (GiB) below which the alarm fires." }),
      connections: positiveInt.meta({ description: 'Connections above which the alarm fires (db.t3.micro handles about 100, seed "Scalability").' }),
    })
    .meta({ description: "Alarm thresholds." }),
});

export const cacheSchema = z.strictObject({
  enabled: z.boolean().meta({
    description:
      "An ElastiCache replication group the tasks reach (the seed's 100,000-user step; the 100000-users preset turns it on), and one in the DR standby once it serves.",
  }),
  engine: z.enum(["valkey", "redis"]).meta({
    description:
      "Valkey (default: the open-source, BSD-licensed successor of Redis OSS 7.2, wire-compatible with Redis clients, and priced about 20% below Redis OSS on ElastiCache nodes) or Redis OSS.",
  }),
  engineVersion: z
    .string()
    .regex(/^\d+\.\d+$/, refusal('must be "major.minor"', 'write e.g. "8.0"'))
    .meta({ description: "Engine version (config/engines.ts lists those with IAM authentication: Valkey 7.2, 8.0, 8.1; Redis OSS 7.0, 7.1)." }),
  nodeType: instanceClass(
    /^cache\.[a-z0-9-]+\.[a-z0-9]+$/,
    refusal("must be an ElastiCache node type", 'write e.g. "cache.r7g.large"'),
    ELASTICACHE_NODE_TYPES,
    "an ElastiCache node type for Valkey and Redis OSS",
  ).meta({ description: "Node type of the primary and each replica." }),
  replicas: z
    .number()
    .int()
    .min(1, cacheReplicas)
    .max(5, cacheReplicas)
    .meta({ description: "Replicas beside the primary, spread over the zones: automatic failover and Multi-AZ promote one when the primary fails." }),
  encrypted: z.boolean().meta({
    description:
      "Encryption at rest with the environment's cache key (customer-managed) and TLS required in transit, which IAM authentication needs; refused false where protectData is on.",
  }),
  snapshotRetentionDays: z
    .number()
    .int()
    .min(0, days35)
    .max(35, days35)
    .meta({ description: "Days of daily snapshots (0 keeps none); the cache holds copies, so a day or two is enough." }),
  snapshotWindow: utcWindow().meta({ description: "UTC window of the daily snapshot." }),
  maintenanceWindow: weeklyWindow({ minutes: 60, service: "ElastiCache's shortest maintenance window" }).meta({
    description: "UTC window of maintenance (patches, minor upgrades), at least 60 minutes.",
  }),
  alarms: z
    .strictObject({
      cpuPercent: z
        .number()
        .min(1)
        .max(100)
        .meta({ description: "Engine CPU (%) of a node (EngineCPUUtilization: the engine's own thread) above which its alarm fires." }),
      memoryPercent: z.number().min(1).max(100).meta({ description: "Memory used (%) of a node (DatabaseMemoryUsagePercentage) above which its alarm fires." }),
      evictionsPer5Minutes: positiveInt.meta({ description: "Keys evicted per 5 minutes on a node above which its alarm fires (the cache is too small)." }),
      replicationLagSeconds: positiveInt.meta({ description: "Replica lag (s) behind the primary above which its alarm fires." }),
    })
    .meta({ description: "Cache alarm thresholds." }),
});

export const monitoringSchema = z.strictObject({
  periodSeconds: wholeMinutes.meta({ description: "Seconds each alarm datapoint covers." }),
  evaluationPeriods: positiveInt.meta({ description: "Datapoints that must breach before an alarm fires." }),
  http5xxPerPeriod: positiveInt.meta({ description: "Target and ELB 5XX responses per period that count as a spike." }),
  targetResponseSeconds: z.number().positive().meta({ description: "Average target response time (seconds) that alarms." }),
  highRiskPredictionsPerPeriod: positiveInt.meta({ description: 'High-risk predictions per period that alarm (seed "High Risk Spike").' }),
});

export const edgeSchema = z.strictObject({
  cloudfront: z
    .strictObject({
      enabled: z.boolean().meta({ description: "One distribution in front of the ALB and the static bucket." }),
      domainNames: z
        .array(z.string().regex(/^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/, refusal("must be a lower-case domain name", 'write e.g. "dashboard.example.edu"')))
        .meta({ description: "Custom domain names (aliases) of the distribution; need certificateArn." }),
      certificateArn: certificateArn
        .optional()
        .meta({ description: "ACM certificate in us-east-1 covering domainNames; gives viewers TLS 1.2 as the minimum." }),
      acceptDefaultCertificate: z.boolean().meta({
        description:
          "Serve on the default *.cloudfront.net certificate, which lets viewers negotiate TLS 1.0. Only an explicit true allows CloudFront without certificateArn.",
      }),
      albOriginDomain: z
        .string()
        .regex(
          /^([a-z0-9-]+\.)+[a-z]{2,}$/,
          refusal("must be a lower-case domain name", 'write the name in the ALB\'s certificate, e.g. "origin.dashboard.example.edu"'),
        )
        .optional()
        .meta({
          description:
            "Domain name in the ALB's certificate that resolves to the ALB; CloudFront connects to it over HTTPS when loadBalancer.httpsEnabled (a certificate never matches the ALB's own DNS name).",
        }),
      staticPathPatterns: z
        .array(z.string().regex(/^\/\S*$/, refusal('must be a path pattern starting with "/"', 'write e.g. "/static/*"')))
        .min(1)
        .meta({ description: "Paths served from the static bucket." }),
      staticDefaultTtlSeconds: z.number().int().min(0).meta({ description: "Default TTL of static assets (seed: 1 hour)." }),
      priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).meta({ description: "Edge locations (seed: US, Canada, Europe)." }),
      contentSecurityPolicy: z
        .string()
        .min(1)
        .refine((v) => !/[\r\n]/.test(v), refusal("must be one line", 'join its directives with "; " on one line'))
        .meta({
          description:
            "Content-Security-Policy sent on every response, in the project's own response headers policy (with HSTS, nosniff, frame and referrer policies). The default allows what Streamlit needs: its own scripts, its inline styles (emotion), websockets and fetches to its own origin, images and fonts from data: and blob: URLs. Not tried against a running Streamlit here: if a component needs more (e.g. 'unsafe-eval' for some chart libraries), widen it.",
        }),
      allowedCountries: z
        .array(z.string().regex(/^[A-Z]{2}$/, refusal("must be an ISO 3166-1 alpha-2 country code", 'write two upper-case letters, e.g. "US"')))
        .meta({
          description:
            "Countries (ISO 3166-1 alpha-2) allowed to reach the distribution; empty allows every country, because students abroad must still reach a mental-health service (the WAF and the app's sign-in are the controls).",
        }),
    })
    .meta({ description: 'Seed "CloudFront (Optional)".' }),
  waf: z
    .strictObject({
      enabled: z.boolean().meta({ description: "Web ACL on CloudFront (or on the ALB when CloudFront is off)." }),
      rateLimitPer5Minutes: z.number().int().min(10).max(2000000000).meta({ description: "Requests per 5 minutes one IP may send before it is blocked." }),
      anonymousRateLimitPer5Minutes: z.number().int().min(10).max(2000000000).meta({
        description:
          "Requests per 5 minutes one anonymizing address (a VPN, Tor node or privacy relay: AWS's AnonymousIPList) may send before it is blocked. Such addresses are let through, not blocked, so that students can reach the service privately; at most rateLimitPer5Minutes.",
      }),
    })
    .meta({ description: 'Seed "Recommended: Enable AWS WAF".' }),
});

const zone = (example: string) => z.string().regex(ZONE_NAME, refusal("must be an availability zone name", `write e.g. "${example}"`));

export const drSchema = z.strictObject({
  enabled: z
    .boolean()
    .meta({ description: "A standby of this environment in the DR region (stateRegion): its own stack <env>-dr, network and database replica." }),
  mode: z.enum(["pilot-light", "warm-standby", "serving", "active"]).meta({
    description:
      "pilot-light: the replica and the network, nothing serving (cheapest; with Aurora, a secondary cluster without instances); warm-standby: ready to serve; serving (Aurora only): both regions serve, the standby at full size reading its own secondary and forwarding writes to the primary (global write forwarding), CloudFront splits viewers by dr.standbyTrafficPercent; active: after a failover, the standby is the primary (the replica promoted, or the Aurora secondary promoted by the global failover). Changing it updates the DR resources in place.",
  }),
  databaseReplica: z.boolean().meta({
    description:
      'A copy of the database in the DR region, when the environment has a database: an encrypted cross-region read replica of the instance (seed "RDS cross-region read replica"), or with Aurora the secondary cluster of an Aurora Global Database.',
  }),
  availabilityZones: z.array(zone("us-west-2a")).meta({ description: "Zones of the DR region for the standby's subnets, at least 2, given explicitly." }),
  vpcCidr: vpcCidr.meta({ description: "The standby VPC's range; must not overlap network.vpcCidr, so the two networks can be peered." }),
  publicSubnetCidrs: z.array(subnetCidr).meta({ description: "Public subnets of the standby, one per DR zone, inside dr.vpcCidr." }),
  privateSubnetCidrs: z.array(subnetCidr).meta({ description: "Private subnets of the standby (the replica), one per DR zone, inside dr.vpcCidr." }),
  standbyTrafficPercent: z.number().int().min(0, percent).max(100, percent).meta({
    description:
      "In serving mode, the share of viewers (by a hash of their IP address, so a viewer stays in one region) that CloudFront sends to the standby first, the primary on failure; the rest go to the primary first. 0 keeps the standby as a failover target only.",
  }),
  replicaLagAlarmSeconds: z.number().int().positive().meta({ description: "Replica lag (seconds) above which the DR alerts topic is told." }),
  certificateArn: certificateArn
    .optional()
    .meta({ description: "ACM certificate in the DR region for the standby ALB's HTTPS listener; required when loadBalancer.httpsEnabled." }),
  failoverOrigin: z
    .strictObject({
      vpcOriginId: z
        .string()
        .regex(
          /^vo_[A-Za-z0-9]+$/,
          refusal("must be a CloudFront VPC origin id", 'copy output cloudfront_vpc_origin_id of the <env>-dr stack, e.g. "vo_0a1b2c3d4e5f"'),
        )
        .meta({ description: "The standby's CloudFront VPC origin: output cloudfront_vpc_origin_id of the <env>-dr stack." }),
      domainName: z
        .string()
        .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, refusal("must be a lower-case domain name", "copy output alb_dns_name of the <env>-dr stack"))
        .meta({ description: "The standby ALB's DNS name (output alb_dns_name of the <env>-dr stack), or with HTTPS the name its certificate covers." }),
    })
    .optional()
    .meta({
      description:
        "Where CloudFront fails over to (an origin group: the primary ALB first, the standby on 5xx and timeouts), in warm-standby and active; set from the <env>-dr stack's outputs after its first deploy.",
    }),
});

export const encryptionSchema = z.strictObject({
  customerManagedKeys: z.boolean().meta({
    description:
      "Customer-managed KMS keys (rotated yearly, policies scoped to their users) for the data and models buckets, the ECR repository, the database and its secret, and the log groups; false falls back to AWS-managed keys. The DR standby's replica database has a key of its own either way: RDS stores the key's ARN, and an AWS-managed key's ARN is not known offline.",
  }),
});

export const environmentSchema = z.strictObject({
  project: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/,
      refusal("must be 3-20 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen", 'write e.g. "smh-dashboard"'),
    )
    .meta({ description: "Project slug used in every physical name." }),
  environment: z
    .string()
    .regex(
      /^[a-z][a-z0-9]{1,9}$/,
      refusal("must be 2-10 lower-case letters or digits, starting with a letter", 'rename the environment under environments, e.g. "staging"'),
    )
    .meta({ description: "Environment name, part of every physical name and of the stack name." }),
  accountId: z
    .string()
    .regex(/^\d{12}$/, refusal("must be a 12-digit AWS account id", 'write all 12 digits as a string (leading zeros included, in quotes), e.g. "123456789012"'))
    .meta({
      description:
        "The AWS account deployed to; the provider refuses any other (allowed_account_ids). Set at the top level, it is every environment's account and the one of the shared stacks (state, baseline, ci); set on an environment, that environment and its standby deploy into an account of their own, which gets its own baseline and CI stacks, while the top-level account keeps a baseline for the state it holds (docs/operations.md, \"Several accounts\"). Set your account: the committed value is AWS's documentation account, so nothing deploys until you do.",
    }),
  deployRoleArn: deployRoleArn.optional().meta({
    description:
      "IAM role in accountId that Terraform assumes for this environment's stacks (the AWS provider's and the state backend's assume_role), when the identity that deploys lives in another account (an identity or management account, AWS IAM Identity Center). Unset: the deploying identity's own credentials, which must then be of accountId. The providers read it from the stack's variable deploy_role_arn (this role by default), which the pipeline sets to \"\", as it drops the backend's assume_role: its own role is already in the account (docs/ci).",
  }),
  region: region.meta({ description: "Primary region (seed)." }),
  stateRegion: region.meta({ description: "Disaster-recovery region: the Terraform state bucket and the replicas; must differ from region." }),
  availabilityZones: z
    .array(zone("us-east-1a"))
    .meta({ description: "Zones of the primary region, at least 2, given explicitly (a look-up would call AWS and make plans non-deterministic)." }),
  dataClassification: z
    .string()
    .min(1)
    .superRefine(refuseTagValue)
    .meta({ description: "`DataClassification` tag on every resource (a tag value, see tags)." }),
  tags: tags.meta({
    description:
      "Extra tags on every resource (merged into the provider's default_tags): keys of 1-128 and values of up to 256 letters, numbers, spaces and + - = . _ : / @, neither starting with aws: (AWS's tag rules).",
  }),
  protectData: z.boolean().meta({ description: "Protect stateful resources: deletion protection, final snapshots, no force_destroy." }),
  acceptUnencryptedHttp: z.boolean().meta({
    description:
      "Accept, knowingly, plain HTTP: in an environment that protects data, on any hop (viewers to an ALB without HTTPS, CloudFront to an ALB without HTTPS, the ALB to the tasks over HTTP); in any other environment, viewers reaching an internet-facing ALB without HTTPS (a sign-in crosses the internet readable, real data or not; the dev preset puts CloudFront's HTTPS in front instead). For a demo without real data only: synthesis then prints one warning line per accepted hop. Remove it, with certificates set or CloudFront on, before real data.",
  }),
  size: z
    .enum(["100-users", "1000-users", "10000-users", "100000-users"])
    .meta({ description: "The seed's scaling path (config/sizes.ts): task counts, database class and caching for about this many users." }),
  alertEmail: z
    .email(refusal("must be an e-mail address", 'write e.g. "ops@example.edu"'))
    .optional()
    .meta({ description: "Alert e-mail subscribed to the alerts topic (confirm the subscription mail)." }),
  network: networkSchema,
  service: serviceSchema,
  loadBalancer: loadBalancerSchema,
  storage: storageSchema,
  registry: registrySchema,
  database: databaseSchema,
  cache: cacheSchema,
  monitoring: monitoringSchema,
  edge: edgeSchema,
  encryption: encryptionSchema,
  dr: drSchema.meta({ description: "Regional disaster recovery: a standby in the DR region." }),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type NetworkConfig = EnvironmentConfig["network"];
export type ServiceConfig = EnvironmentConfig["service"];
export type LoadBalancerConfig = EnvironmentConfig["loadBalancer"];
export type StorageConfig = EnvironmentConfig["storage"];
export type DatabaseConfig = EnvironmentConfig["database"];
export type AuroraConfig = DatabaseConfig["aurora"];
export type CacheConfig = EnvironmentConfig["cache"];
export type MonitoringConfig = EnvironmentConfig["monitoring"];
export type EdgeConfig = EnvironmentConfig["edge"];
export type DrConfig = EnvironmentConfig["dr"];
