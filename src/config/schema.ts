import { z } from "zod";

/**
 * The one shape of an environment's configuration. Field-level rules live here; rules that
 * relate several fields (CIDR containment, scaling bounds, ...) live in `rules.ts`.
 * Every message says what is wrong and how to fix it, because it is printed to the person
 * running `cdktf synth`.
 */

const region = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region code such as "us-east-1"');

const cidr = z.cidrv4({ message: 'must be an IPv4 CIDR block such as "10.0.0.0/24"' });

const arn = (service: string, example: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:.+$`),
      `must be an ${service} ARN such as "${example}"`,
    );

const certificateArn = arn("acm", "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-...");

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
] as const;

const logRetentionDays = z
  .number()
  .int()
  .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(", ")}`,
  });

const positiveInt = z.number().int().positive();

/** CloudWatch alarm periods and windows here are whole minutes. */
const wholeMinutes = z.number().int().min(60).multipleOf(60, "must be a multiple of 60");

const postgresIdentifier = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, "must be a PostgreSQL identifier");

export const networkSchema = z.strictObject({
  /** @default "10.0.0.0/16" (seed: VPC Configuration) */
  vpcCidr: cidr,
  /** One per availability zone, in the same order. @default ["10.0.0.0/24", "10.0.1.0/24"] */
  publicSubnetCidrs: z.array(cidr),
  /** One per availability zone, in the same order. @default ["10.0.10.0/24", "10.0.11.0/24"] */
  privateSubnetCidrs: z.array(cidr),
  /**
   * NAT gateways: one per AZ (seed, survives an AZ outage), a single shared one (seed cost
   * optimisation, -$32/month) or none (tasks reach AWS only through VPC endpoints).
   * @default "one-per-az"
   */
  natGateways: z.enum(["one-per-az", "single", "none"]),
  /** Retention of the VPC flow log group. @default dev 30, prod 365 */
  flowLogRetentionDays: logRetentionDays,
  /**
   * Interface endpoints for ECR (api, dkr), CloudWatch Logs and Secrets Manager in each private
   * subnet, so tasks reach their control plane without the NAT (about $7.30 per endpoint per
   * zone per month). The S3 gateway endpoint is always on (free). @default true
   */
  interfaceEndpoints: z.boolean(),
});

export const serviceSchema = z.strictObject({
  /** Fargate CPU units. @default 512 (seed) */
  cpu: positiveInt,
  /** Fargate memory in MiB. @default 1024 (seed) */
  memory: positiveInt,
  /** Tasks running after the first deploy. @default 2 (seed: Desired Count) */
  desiredCount: z.number().int().min(0),
  /** Autoscaling lower bound. @default 1 (seed) */
  minCount: z.number().int().min(0),
  /** Autoscaling upper bound. @default 4 (seed) */
  maxCount: positiveInt,
  /**
   * Image tag deployed from the ECR repository. Tags are immutable, so deploys push a new tag
   * (the git SHA) and set it here. @default "initial"
   */
  imageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a Docker image tag (letters, digits, _ . -; at most 128)")
    .refine((tag) => tag !== "latest", {
      message: 'must not be "latest": the repository has immutable tags; push the git SHA as the tag and set it here',
    }),
  /** Streamlit port. @default 8501 (seed) */
  containerPort: z.number().int().min(1).max(65535),
  /** Streamlit health endpoint. @default "/_stcore/health" (seed) */
  healthCheckPath: z.string().regex(/^\/\S*$/, 'must be an absolute path such as "/_stcore/health"'),
  /** Seconds the service ignores failing health checks after a task starts (model loading). @default 120 */
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647),
  /** Retention of the application log group. @default dev 30, prod 365 */
  logRetentionDays,
  /**
   * Run tasks on Fargate Spot (seed cost optimisation, about -30%): one task stays on regular
   * Fargate, the rest go to Spot and may be interrupted. @default false
   */
  fargateSpot: z.boolean(),
  /** Namespace of the app's custom metrics (Prediction Count, High Risk Prediction Count). @default "StudentMHDashboard" */
  metricNamespace: z.string().regex(/^[A-Za-z0-9._/#:-]{1,255}$/, "must be a CloudWatch namespace (letters, digits, . _ / # : -)").refine((ns) => !ns.startsWith("AWS/"), {
    message: 'must not start with "AWS/", which is reserved for AWS services',
  }),
  /** Seed "Auto-scaling Policies". */
  scaling: z.strictObject({
    /** Add a task when average CPU is above this for scaleOutSeconds. @default 70 */
    cpuHighPercent: z.number().min(1).max(100),
    /** Remove a task when CPU is below this (and memory below memoryLowPercent) for scaleInSeconds. @default 30 */
    cpuLowPercent: z.number().min(0).max(99),
    /** @default 80 */
    memoryHighPercent: z.number().min(1).max(100),
    /** @default 40 */
    memoryLowPercent: z.number().min(0).max(99),
    /** Seconds above a high threshold before scaling out. @default 60 */
    scaleOutSeconds: wholeMinutes,
    /** Seconds below both low thresholds before scaling in. @default 300 */
    scaleInSeconds: wholeMinutes,
    /** Cooldown after scaling out. @default 60 */
    scaleOutCooldownSeconds: z.number().int().min(0),
    /** Cooldown after scaling in. @default 300 */
    scaleInCooldownSeconds: z.number().int().min(0),
  }),
});

export const loadBalancerSchema = z.strictObject({
  /** CIDRs allowed to reach the ALB on 80/443. @default ["0.0.0.0/0"] (seed) */
  ingressCidrs: z.array(cidr).min(1, "must list at least one CIDR"),
  /** HTTPS listener on 443 (then 80 redirects to it; behind CloudFront, 443 only). @default false */
  httpsEnabled: z.boolean(),
  /**
   * Protocol from the ALB to the tasks. HTTPS encrypts the hop inside the VPC too: the image
   * must then serve TLS on the container port with the certificate and key at the paths the
   * task passes in STREAMLIT_SERVER_SSL_CERT_FILE / STREAMLIT_SERVER_SSL_KEY_FILE (a
   * self-signed pair baked into the image is enough; the ALB does not validate it).
   * @default dev "HTTP", prod "HTTPS"
   */
  targetProtocol: z.enum(["HTTP", "HTTPS"]),
  /** ACM certificate in the primary region for the HTTPS listener; required when httpsEnabled. */
  certificateArn: certificateArn.optional(),
  /** Seconds an idle connection (Streamlit's websocket) is kept. @default 300 */
  idleTimeoutSeconds: z.number().int().min(1).max(4000),
  /** Seconds a deregistering task keeps serving. @default 30 */
  deregistrationDelaySeconds: z.number().int().min(0).max(3600),
});

export const storageSchema = z.strictObject({
  /**
   * Last part of every bucket name, which makes it globally unique.
   * @default the account id
   */
  bucketSuffix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,19}$/, "must be 1-20 lower-case letters, digits or hyphens")
    .optional(),
  /**
   * Let `terraform destroy` delete buckets (and the ECR repository) that still hold objects.
   * Refused where protectData is on. @default dev true, prod false
   */
  forceDestroy: z.boolean(),
  /** Days a replaced or deleted object version is kept in versioned buckets. @default dev 30, prod 365 */
  noncurrentVersionExpirationDays: positiveInt,
  /** Days before ALB and S3 access logs move to STANDARD_IA (seed: 30). @default 30 */
  logsTransitionDays: positiveInt,
  /** Days before ALB and S3 access logs expire (seed: 90). @default 90 */
  logsExpirationDays: positiveInt,
  /**
   * Days before objects in the data bucket (datasets, predictions) expire; unset keeps them
   * until deleted (a records-retention decision). @default dev 30, prod unset
   */
  dataExpirationDays: positiveInt.optional(),
  /** Replicate the models bucket to the DR region (seed "Cross-region S3 replication for models"). @default dev false, prod true */
  replicateModels: z.boolean(),
  /** Replicate the data bucket (predictions) to the DR region. @default dev false, prod true */
  replicateData: z.boolean(),
  /** Static assets bucket for CloudFront (seed: optional). @default dev false, prod true */
  staticAssets: z.boolean(),
  /** Origins allowed by the static bucket's CORS rule (GET/HEAD). @default ["*"] */
  corsAllowedOrigins: z.array(z.string().min(1)).min(1, "must list at least one origin"),
});

export const registrySchema = z.strictObject({
  /** Images kept by the ECR lifecycle policy (seed: keep last 10 images). @default 10 */
  keepImages: positiveInt,
});

export const databaseSchema = z.strictObject({
  /** RDS PostgreSQL (seed: optional, +$15/month). @default dev false, prod true */
  enabled: z.boolean(),
  /**
   * PostgreSQL version. A major version ("15") lets RDS pick its current default minor and
   * upgrade minors automatically; the seed's 15.4 has been retired by RDS. @default "15"
   */
  engineVersion: z.string().regex(/^1[5-9](\.\d+)?$/, 'must be a PostgreSQL version such as "15" or "15.13" (15 or later)'),
  /** @default "db.t3.micro" (seed) */
  instanceClass: z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'must be an RDS instance class such as "db.t3.micro"'),
  /** GB at creation. @default 20 (seed) */
  allocatedStorageGb: z.number().int().min(20).max(65536),
  /** Storage autoscaling ceiling in GB. @default 100 (seed) */
  maxAllocatedStorageGb: z.number().int().min(20).max(65536),
  /** Standby in a second zone. @default dev false, prod true */
  multiAz: z.boolean(),
  /** Days of automated backups (seed: 7 prod, 1 dev). @default dev 1, prod 7 */
  backupRetentionDays: z.number().int().min(0, "must be 0-35").max(35, "must be 0-35"),
  /** UTC window of the daily backup. @default "03:00-04:00" */
  backupWindow: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'must be "hh:mm-hh:mm" in UTC'),
  /** UTC window of maintenance. @default "sun:04:30-sun:05:30" */
  maintenanceWindow: z.string().regex(/^[a-z]{3}:\d{2}:\d{2}-[a-z]{3}:\d{2}:\d{2}$/, 'must be "ddd:hh:mm-ddd:hh:mm" in UTC'),
  /** @default "dashboard" */
  databaseName: postgresIdentifier,
  /** @default "dashboard_admin" */
  masterUsername: postgresIdentifier,
  /** Seconds between enhanced-monitoring samples (0 turns it off). @default 60 */
  monitoringIntervalSeconds: z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]),
  /**
   * Copy automated backups to the DR region (seed "RDS cross-region read replica", as a cheaper
   * backup copy). @default false
   */
  replicateBackupsToDr: z.boolean(),
  /** Alarm thresholds. */
  alarms: z.strictObject({
    /** @default 80 */
    cpuPercent: z.number().min(1).max(100),
    /** @default 2 (GiB) */
    freeStorageGb: z.number().positive(),
    /** db.t3.micro handles about 100 (seed "Scalability"). @default 80 */
    connections: positiveInt,
  }),
});

export const monitoringSchema = z.strictObject({
  /** Seconds each alarm datapoint covers. @default 60 */
  periodSeconds: wholeMinutes,
  /** Datapoints that must breach before an alarm fires. @default dev 5, prod 3 */
  evaluationPeriods: positiveInt,
  /** Target and ELB 5XX responses per period that count as a spike. @default 10 */
  http5xxPerPeriod: positiveInt,
  /** Average target response time (seconds) that alarms. @default 2 */
  targetResponseSeconds: z.number().positive(),
  /** High-risk predictions per period that alarm (seed "High Risk Spike"). @default 20 */
  highRiskPredictionsPerPeriod: positiveInt,
});

export const edgeSchema = z.strictObject({
  /** Seed "CloudFront (Optional)". */
  cloudfront: z.strictObject({
    /** One distribution in front of the ALB and the static bucket. @default dev false, prod true */
    enabled: z.boolean(),
    /** Custom domain names (aliases) of the distribution; need certificateArn. @default [] */
    domainNames: z.array(z.string().regex(/^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a lower-case domain name such as "dashboard.example.edu"')),
    /** ACM certificate in us-east-1 covering domainNames; gives viewers TLS 1.2 as the minimum. */
    certificateArn: certificateArn.optional(),
    /**
     * Serve on the default *.cloudfront.net certificate, which lets viewers negotiate TLS 1.0.
     * Only an explicit true allows CloudFront without certificateArn. @default false
     */
    acceptDefaultCertificate: z.boolean(),
    /**
     * Domain name in the ALB's certificate that resolves to the ALB; CloudFront connects to it
     * over HTTPS when loadBalancer.httpsEnabled (a certificate never matches the ALB's own DNS name).
     */
    albOriginDomain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a lower-case domain name").optional(),
    /** Paths served from the static bucket. @default ["/static/*"] */
    staticPathPatterns: z.array(z.string().regex(/^\/\S*$/, 'must be a path pattern such as "/static/*"')).min(1),
    /** Default TTL of static assets (seed: 1 hour). @default 3600 */
    staticDefaultTtlSeconds: z.number().int().min(0),
    /** Edge locations (seed: US, Canada, Europe). @default "PriceClass_100" */
    priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
    /**
     * Content-Security-Policy sent on every response, in the project's own response headers
     * policy (with HSTS, nosniff, frame and referrer policies). The default allows what Streamlit
     * needs: its own scripts, its inline styles (emotion), websockets and fetches to its own
     * origin, images and fonts from data: and blob: URLs. @default see presets.ts
     */
    contentSecurityPolicy: z.string().min(1).refine((v) => !/[\r\n]/.test(v), "must be one line"),
    /**
     * Countries (ISO 3166-1 alpha-2) allowed to reach the distribution; empty allows every
     * country. @default [] (students abroad must still reach a mental-health service; the WAF
     * and the app's sign-in are the controls)
     */
    allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as "US"')),
  }),
  /** Seed "Recommended: Enable AWS WAF". */
  waf: z.strictObject({
    /** Web ACL on CloudFront (or on the ALB when CloudFront is off). @default dev false, prod true */
    enabled: z.boolean(),
    /** Requests per 5 minutes one IP may send before it is blocked. @default 2000 */
    rateLimitPer5Minutes: z.number().int().min(10).max(2000000000),
  }),
});

export const encryptionSchema = z.strictObject({
  /**
   * Customer-managed KMS keys (rotated yearly, policies scoped to their users) for the data and
   * models buckets, the ECR repository, the database and its secret, and the log groups; false
   * falls back to AWS-managed keys. @default true
   */
  customerManagedKeys: z.boolean(),
});

export const environmentSchema = z.strictObject({
  /** Project slug used in every physical name. @default "smh-dashboard" */
  project: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, "must be 3-20 lower-case letters, digits or hyphens, starting with a letter"),
  /** Environment name, part of every physical name and of the stack name. */
  environment: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "must be 2-10 lower-case letters or digits, starting with a letter"),
  /** The AWS account deployed to; the provider refuses any other (`allowed_account_ids`). */
  accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
  /** Primary region. @default "us-east-1" (seed) */
  region,
  /** Disaster-recovery region: Terraform state and replicas. @default "us-west-2" */
  stateRegion: region,
  /** Explicit AZs (never looked up, so plans are deterministic). @default ["us-east-1a", "us-east-1b"] */
  availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be an AZ name such as "us-east-1a"')),
  /** `DataClassification` tag on every resource. @default "confidential-phi" */
  dataClassification: z.string().min(1),
  /** Extra tags on every resource (merged into the provider's default_tags). @default {} */
  tags: z.record(z.string(), z.string()),
  /**
   * Protect stateful resources: deletion protection, final snapshots, no force_destroy.
   * @default dev false, prod true
   */
  protectData: z.boolean(),
  /**
   * Accept, knowingly, a path where student data crosses the internet as plain HTTP in an
   * environment that protects data (viewers to an ALB without HTTPS, or CloudFront to an ALB
   * without HTTPS). For a demo without real data only; synthesis then prints a warning per
   * stack. @default false
   */
  acceptUnencryptedHttp: z.boolean(),
  /**
   * The seed's scaling path (config/sizes.ts): task counts, database class and caching for
   * about this many users. @default "100-users"
   */
  size: z.enum(["100-users", "1000-users", "10000-users", "100000-users"]),
  /** Alert e-mail subscribed to the alerts topic (confirm the subscription mail). @default none */
  alertEmail: z.email({ message: 'must be an e-mail address such as "ops@example.edu"' }).optional(),
  network: networkSchema,
  service: serviceSchema,
  loadBalancer: loadBalancerSchema,
  storage: storageSchema,
  registry: registrySchema,
  database: databaseSchema,
  monitoring: monitoringSchema,
  edge: edgeSchema,
  encryption: encryptionSchema,
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type NetworkConfig = EnvironmentConfig["network"];
export type ServiceConfig = EnvironmentConfig["service"];
export type LoadBalancerConfig = EnvironmentConfig["loadBalancer"];
export type StorageConfig = EnvironmentConfig["storage"];
export type RegistryConfig = EnvironmentConfig["registry"];
export type DatabaseConfig = EnvironmentConfig["database"];
export type MonitoringConfig = EnvironmentConfig["monitoring"];
export type EdgeConfig = EnvironmentConfig["edge"];
