import type { EnvironmentConfig } from "./schema";

/** A partial configuration: any setting may be left out and is then taken from below it. */
export type DeepPartial<T> = T extends readonly (infer _)[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * The seed architecture's values (../shared/seed/architecture.md), shared by every environment.
 * Per-deployment values (account, alert e-mail, certificate) come from the settings, see
 * `settings.ts`.
 */
export const BASE: Omit<EnvironmentConfig, "environment" | "alertEmail"> = {
  project: "smh-dashboard",
  // AWS's documentation account: the provider's allowed_account_ids refuses to deploy anywhere
  // until the real account id is set (docs/settings.md).
  accountId: "123456789012",
  region: "us-east-1",
  stateRegion: "us-west-2",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  dataClassification: "confidential-phi",
  tags: {},
  protectData: true,
  acceptUnencryptedHttp: false,
  size: "100-users",
  network: {
    vpcCidr: "10.0.0.0/16",
    publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"],
    privateSubnetCidrs: ["10.0.10.0/24", "10.0.11.0/24"],
    natGateways: "one-per-az",
    flowLogRetentionDays: 365,
    interfaceEndpoints: true,
  },
  service: {
    cpu: 512,
    memory: 1024,
    desiredCount: 2,
    minCount: 1,
    maxCount: 4,
    imageTag: "initial",
    containerPort: 8501,
    healthCheckPath: "/_stcore/health",
    healthCheckGracePeriodSeconds: 120,
    logRetentionDays: 365,
    fargateSpot: false,
    fargateOnDemandBase: 1,
    assignPublicIp: false,
    cpuArchitecture: "X86_64",
    workingHours: { enabled: false, timeZone: "America/New_York", start: "08:00", stop: "20:00", days: "MON-FRI" },
    metricNamespace: "StudentMHDashboard",
    scaling: {
      cpuHighPercent: 70,
      cpuLowPercent: 30,
      memoryHighPercent: 80,
      memoryLowPercent: 40,
      scaleOutSeconds: 60,
      scaleInSeconds: 300,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 300,
    },
  },
  loadBalancer: {
    ingressCidrs: ["0.0.0.0/0"],
    httpsEnabled: false,
    targetProtocol: "HTTP",
    idleTimeoutSeconds: 300,
    deregistrationDelaySeconds: 30,
  },
  storage: {
    forceDestroy: false,
    noncurrentVersionExpirationDays: 365,
    logsTransitionDays: 30,
    logsExpirationDays: 90,
    replicateModels: true,
    replicateData: true,
    staticAssets: true,
    corsAllowedOrigins: ["*"],
  },
  registry: {
    keepImages: 10,
  },
  database: {
    enabled: true,
    engineVersion: "15",
    instanceClass: "db.t3.micro",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    multiAz: true,
    backupRetentionDays: 7,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:30-sun:05:30",
    databaseName: "dashboard",
    masterUsername: "dashboard_admin",
    monitoringIntervalSeconds: 60,
    replicateBackupsToDr: false,
    alarms: { cpuPercent: 80, freeStorageGb: 2, connections: 80 },
    engine: "postgres",
    migration: "instance-kept",
    aurora: {
      engineVersion: "15.10",
      instanceClass: "db.r6g.large",
      readers: 1,
      minCapacityAcu: 0.5,
      maxCapacityAcu: 16,
      ioOptimized: false,
      alarms: { replicaLagMilliseconds: 1000, freeLocalStorageGb: 5, globalLagSeconds: 60 },
    },
  },
  cache: {
    enabled: false,
    engine: "valkey",
    engineVersion: "8.0",
    nodeType: "cache.t4g.medium",
    replicas: 1,
    encrypted: true,
    snapshotRetentionDays: 1,
    // Before the database's backup (03:00) and clear of both maintenance windows.
    snapshotWindow: "01:00-02:00",
    maintenanceWindow: "sun:06:00-sun:07:00",
    alarms: { cpuPercent: 80, memoryPercent: 80, evictionsPer5Minutes: 1000, replicationLagSeconds: 30 },
  },
  monitoring: {
    periodSeconds: 60,
    evaluationPeriods: 3,
    http5xxPerPeriod: 10,
    targetResponseSeconds: 2,
    highRiskPredictionsPerPeriod: 20,
  },
  edge: {
    cloudfront: {
      enabled: true,
      domainNames: [],
      acceptDefaultCertificate: false,
      staticPathPatterns: ["/static/*"],
      staticDefaultTtlSeconds: 3600,
      priceClass: "PriceClass_100",
      // Streamlit: its own scripts; emotion's inline styles; websockets (/_stcore/stream) and
      // fetches to its own origin ('self' covers wss: of the same host in CSP level 3);
      // st.image and downloads use data: and blob: URLs. No frames, plugins or foreign forms.
      contentSecurityPolicy:
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; worker-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
      allowedCountries: [],
    },
    // Anonymizing addresses are where abuse hides, but students use them too: a quarter of the
    // per-IP limit, instead of a block.
    waf: { enabled: true, rateLimitPer5Minutes: 2000, anonymousRateLimitPer5Minutes: 500 },
  },
  encryption: { customerManagedKeys: true },
  dr: {
    enabled: false,
    mode: "pilot-light",
    databaseReplica: true,
    availabilityZones: ["us-west-2a", "us-west-2b"],
    vpcCidr: "10.1.0.0/16",
    publicSubnetCidrs: ["10.1.0.0/24", "10.1.1.0/24"],
    privateSubnetCidrs: ["10.1.10.0/24", "10.1.11.0/24"],
    standbyTrafficPercent: 0,
    // RPO < 24 h (seed); a replica behind by 15 minutes is already worth a look.
    replicaLagAlarmSeconds: 900,
  },
};

/**
 * The dev preset: the seed's dev environment and cost table: no RDS, data not protected so that
 * it can be torn down, short log retention; and the seed's cost optimisations that keep it
 * serving (npm run cost prices each): one NAT gateway, one of two tasks on Fargate Spot, no
 * interface endpoints (through the NAT, 5 GB of ECR and log traffic costs $0.23 a month; the
 * endpoints cost $43.80). Viewers use HTTPS all the same, since a sign-in to dev crosses the
 * internet: CloudFront (the seed's optional dev line, about $20 a month with its logs) with its
 * default certificate in front of an internal ALB, which needs no domain or certificate of the
 * deployer's; no WAF, which dev's traffic does not need.
 */
const DEV = {
  protectData: false,
  network: { flowLogRetentionDays: 30, natGateways: "single", interfaceEndpoints: false },
  // Graviton tasks (the pipeline builds dev's image for ARM64) that run only in working hours.
  service: { logRetentionDays: 30, fargateSpot: true, cpuArchitecture: "ARM64", workingHours: { enabled: true } },
  storage: {
    forceDestroy: true,
    noncurrentVersionExpirationDays: 30,
    replicateModels: false,
    replicateData: false,
    dataExpirationDays: 30,
  },
  database: { enabled: false, multiAz: false, backupRetentionDays: 1 },
  monitoring: { evaluationPeriods: 5 },
  edge: { cloudfront: { acceptDefaultCertificate: true }, waf: { enabled: false } },
} as const satisfies DeepPartial<EnvironmentConfig>;

/**
 * Environment presets, applied over BASE.
 * - dev: DEV above.
 * - sandbox: one developer's own environment (`"preset": "sandbox"` in deployment.local.json),
 *   dev at the least that serves the app.
 * - prod: the seed's full stack; everything protected.
 */
export const PRESETS: Readonly<Record<string, DeepPartial<EnvironmentConfig>>> = {
  dev: DEV,
  // A personal sandbox: dev on one task that may be interrupted, the tasks on public addresses
  // instead of a NAT gateway (about $37 a month) or the four interface endpoints private tasks
  // need without one (about $58), logs kept a week.
  sandbox: {
    ...DEV,
    network: { ...DEV.network, natGateways: "none", interfaceEndpoints: false, flowLogRetentionDays: 7 },
    service: {
      ...DEV.service,
      desiredCount: 1,
      minCount: 1,
      maxCount: 2,
      fargateOnDemandBase: 0,
      assignPublicIp: true,
      logRetentionDays: 7,
    },
  },
  prod: {
    protectData: true,
    // Student data is encrypted on the hop inside the VPC as well (the image serves TLS).
    loadBalancer: { targetProtocol: "HTTPS" },
    // An audit trail of access (ALB, S3, CloudFront logs) for a year; CloudTrail keeps 6 years.
    storage: { logsExpirationDays: 365 },
    // Seed "Disaster Recovery" (RTO < 15 min): a warm standby in the DR region with the database
    // replica, which CloudFront's origin group fails over to (docs/disaster-recovery.md). A pilot
    // light costs less (npm run cost) but takes longer to serve (the recovery budget there).
    dr: { enabled: true, mode: "warm-standby" },
  },
};

/**
 * Users a preset serves where not its size's, which the cost estimate scales traffic to: a
 * sandbox serves its developer (and a colleague or two), not the 100 users of the seed's usage.
 */
export const PRESET_USERS: Readonly<Record<string, number>> = { sandbox: 5 };

/** The environments a deployment has when its settings name none. */
export const DEFAULT_ENVIRONMENTS = ["dev", "prod"] as const;
