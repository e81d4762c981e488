import { z } from "zod";
import type { DeepPartial } from "./presets";

/**
 * The account security baseline (seed "Security Best Practices", "Compliance"): services that
 * exist once per account and region, so they live in their own stack. Each is a switch because
 * an account (or its organization) may already run it.
 */
export const baselineSchema = z.strictObject({
  /** Synthesize the `baseline` stack at all. @default true */
  enabled: z.boolean(),
  /** GuardDuty detector with S3 protection and ECS Fargate runtime monitoring. @default true */
  guardDuty: z.boolean(),
  /** AWS Config recorder, delivery channel, its bucket, and managed rules. @default true */
  config: z.boolean(),
  /** Security Hub with AWS Foundational Security Best Practices and CIS. @default true */
  securityHub: z.boolean(),
  /** Multi-region CloudTrail trail, KMS-encrypted, validated, also to CloudWatch Logs. @default true */
  cloudTrail: z.boolean(),
  /** Record S3 object-level access to the project's buckets (HIPAA audit of PHI access). @default true */
  cloudTrailS3DataEvents: z.boolean(),
  /** Days CloudTrail log files are kept (HIPAA keeps documentation 6 years). @default 2192 */
  cloudTrailRetentionDays: z.number().int().min(365),
  /** Days Config history and snapshots are kept. @default 2192 */
  configRetentionDays: z.number().int().min(365),
  /** Retention of the trail's CloudWatch log group, for searching recent activity. @default 365 */
  auditLogGroupRetentionDays: z.union([z.literal(365), z.literal(400), z.literal(545), z.literal(731), z.literal(1096), z.literal(1827), z.literal(2192)]),
});

export type BaselineConfig = z.infer<typeof baselineSchema>;
export type BaselineSettings = DeepPartial<BaselineConfig>;

export const BASELINE_DEFAULTS: BaselineConfig = {
  enabled: true,
  guardDuty: true,
  config: true,
  securityHub: true,
  cloudTrail: true,
  cloudTrailS3DataEvents: true,
  cloudTrailRetentionDays: 2192,
  configRetentionDays: 2192,
  auditLogGroupRetentionDays: 365,
};
