/**
 * On-demand list prices in us-east-1 (USD) that the cost estimate uses.
 * Source: the public AWS pricing pages of each service (aws.amazon.com/<service>/pricing),
 * us-east-1, on-demand, as published in 2025 (prices checked for this table: 2025-11). AWS
 * changes prices; check the pages (or the AWS Pricing Calculator) before budgeting. The prices
 * added since, which were first entered from memory, carry the source they were checked against
 * (2026-12) beside them.
 */
export const PRICE_SOURCE = "AWS public pricing pages, us-east-1, on-demand, 2025-11";

export const PRICES = {
  hoursPerMonth: 730,
  fargate: {
    // Linux/x86 and Linux/ARM, us-east-1: aws.amazon.com/fargate/pricing, as vantage.sh's and
    // fortem.dev's tables (2026-06) quote it: $0.04048 / $0.004445 and $0.03238 / $0.00356.
    vcpuHour: 0.04048,
    gbHour: 0.004445,
    // AWS: "up to a 70% discount off the Fargate price"; the live Spot price moves between about
    // 50% and 70% off (fortem.dev, 2026-06), so this is the saving's upper bound.
    spotDiscount: 0.7,
    /** Linux/ARM (Graviton): per vCPU-hour and GB-hour, about 20% below Linux/x86. */
    arm: { vcpuHour: 0.03238, gbHour: 0.00356 },
  },
  alb: { hour: 0.0225, lcuHour: 0.008 },
  nat: { hour: 0.045, gbProcessed: 0.045 },
  // Every public IPv4 address, in use or idle, since 2024-02-01 (AWS News Blog and re:Post,
  // "Why am I seeing charges for 'Public IPv4 addresses'"): $0.005 per IP per hour.
  publicIpv4Hour: 0.005,
  interfaceEndpoint: { hourPerZone: 0.01, gbProcessed: 0.01 },
  s3: { standardGbMonth: 0.023, crossRegionReplicationGb: 0.02 },
  ecr: { gbMonth: 0.1 },
  cloudwatch: { logsIngestGb: 0.5, logsStorageGbMonth: 0.03, alarmMetricMonth: 0.1, dashboardMonth: 3, customMetricMonth: 0.3 },
  rds: {
    /** PostgreSQL, single-AZ, per hour; Multi-AZ doubles it. */
    instanceHour: {
      "db.t3.micro": 0.018,
      "db.t3.small": 0.036,
      "db.t3.medium": 0.072,
      "db.t3.large": 0.145,
      "db.r5.large": 0.25,
      "db.r5.xlarge": 0.5,
    } as Readonly<Record<string, number>>,
    gp3GbMonth: 0.115,
    /**
     * Backup storage beyond the free copy; what automated backups replicated to another region
     * store there. aws.amazon.com/rds/pricing as usage.ai's 2026-06 table quotes it: about $0.095
     * per GB-month, free up to 100% of the provisioned storage in the source region.
     */
    backupStorageGbMonth: 0.095,
  },
  /** Aurora PostgreSQL, Aurora Standard; I/O-Optimized costs ioOptimizedFactor more per instance hour and ACU. */
  aurora: {
    instanceHour: {
      "db.t4g.medium": 0.073,
      "db.r6g.large": 0.26,
      "db.r6g.xlarge": 0.519,
      "db.r6g.2xlarge": 1.038,
      "db.r7g.large": 0.276,
      "db.r7g.xlarge": 0.552,
    } as Readonly<Record<string, number>>,
    /** Serverless v2, per ACU-hour. */
    acuHour: 0.12,
    ioOptimizedFactor: 1.3,
    storageGbMonth: 0.1,
    ioOptimizedStorageGbMonth: 0.225,
    /** Aurora Standard read and write I/O, per million requests. */
    ioPerMillion: 0.2,
    /** Global database: writes replicated to a secondary region, per million, billed there. */
    replicatedWriteIoPerMillion: 0.2,
  },
  /** ElastiCache node-based clusters, per node-hour; Valkey is priced below Redis OSS. */
  elasticache: {
    nodeHour: {
      valkey: { "cache.t4g.medium": 0.052, "cache.m7g.large": 0.1264, "cache.r7g.large": 0.1752, "cache.r7g.xlarge": 0.3504 },
      redis: { "cache.t4g.medium": 0.065, "cache.m7g.large": 0.158, "cache.r7g.large": 0.219, "cache.r7g.xlarge": 0.438 },
    } as Readonly<Record<string, Readonly<Record<string, number>>>>,
  },
  dataTransferOutGb: 0.09,
  cloudfront: {
    gbOut: 0.085,
    httpsPer10k: 0.01,
    functionPerMillion: 0.1,
    // Standard logging v2 delivered to S3 is billed as CloudWatch vended logs: $0.25 per GB for the
    // first 10 TB delivered to S3 or Firehose (aws.amazon.com/cloudwatch/pricing, as the tiers of
    // aws-samples/sample-cfm-tips-mcp quote it; Tokyo's $0.38 is the same tier at its region's rate).
    logsToS3Gb: 0.25,
  },
  waf: { aclMonth: 5, ruleMonth: 1, perMillionRequests: 0.6 },
  kms: { keyMonth: 1 },
  secretsManager: { secretMonth: 0.4 },
  guardDuty: { perMillionEvents: 4, flowLogGb: 1, fargateVcpuMonth: 1.5 },
  config: { configurationItem: 0.003, ruleEvaluation: 0.001 },
  cloudTrail: { dataEventsPer100k: 0.1 },
  securityHub: { check: 0.001 },
} as const;
