import { z } from "zod";
import type { DeepPartial } from "./presets";

/**
 * The account security baseline (seed "Security Best Practices", "Compliance"): services that
 * exist once per account and region, so they live in their own stack. Each is a switch because
 * an account (or its organization) may already run it.
 */
export const baselineSchema = z.strictObject({
  enabled: z.boolean().meta({ description: "Synthesize the `baseline` stack at all." }),
  guardDuty: z.boolean().meta({
    description:
      "GuardDuty detector with S3 protection and ECS Fargate runtime monitoring; GuardDuty adds its agent to the tasks, whose execution roles may pull it from GuardDuty's repository in their region (src/aws/guardduty-agent.ts).",
  }),
  config: z.boolean().meta({ description: "AWS Config recorder, delivery channel, its bucket, and managed rules." }),
  securityHub: z.boolean().meta({ description: "Security Hub with AWS Foundational Security Best Practices and CIS." }),
  s3PublicAccessBlock: z.boolean().meta({
    description:
      "S3 Block Public Access for the whole account (all four settings on; FSBP S3.1): no bucket of the account can be made public. Turn off only if another bucket of the account must be public, and block it bucket by bucket instead.",
  }),
  cloudTrail: z.boolean().meta({ description: "Multi-region CloudTrail trail, KMS-encrypted, validated, also to CloudWatch Logs." }),
  cloudTrailToStateAccount: z.boolean().meta({
    description:
      "Deliver each account's trail to one bucket in the state account (the top-level accountId, in stateRegion: the state stack's audit_logs bucket), out of reach of the environments' accounts; each trail encrypts its log files with a key of its own account in stateRegion, which the state account may decrypt with. For environments in accounts of their own (docs/operations.md, \"Several accounts\").",
  }),
  cloudTrailS3DataEvents: z.boolean().meta({ description: "Record S3 object-level access to the project's buckets (HIPAA audit of PHI access)." }),
  cloudTrailRetentionDays: z.number().int().min(365).meta({ description: "Days CloudTrail log files are kept (HIPAA keeps documentation 6 years)." }),
  configRetentionDays: z.number().int().min(365).meta({ description: "Days Config history and snapshots are kept." }),
  auditLogGroupRetentionDays: z
    .union([z.literal(365), z.literal(400), z.literal(545), z.literal(731), z.literal(1096), z.literal(1827), z.literal(2192)])
    .meta({ description: "Retention of the trail's CloudWatch log group, for searching recent activity." }),
});

export type BaselineConfig = z.infer<typeof baselineSchema>;
export type BaselineSettings = DeepPartial<BaselineConfig>;

export const BASELINE_DEFAULTS: BaselineConfig = {
  enabled: true,
  guardDuty: true,
  config: true,
  securityHub: true,
  s3PublicAccessBlock: true,
  cloudTrail: true,
  cloudTrailToStateAccount: false,
  cloudTrailS3DataEvents: true,
  cloudTrailRetentionDays: 2192,
  configRetentionDays: 2192,
  auditLogGroupRetentionDays: 365,
};

/**
 * Whether GuardDuty adds its runtime agent to the ECS Fargate tasks: the baseline's detector
 * turns on runtime monitoring with ECS_FARGATE_AGENT_MANAGEMENT (src/constructs/guardduty.ts),
 * so every task's execution role must be able to pull the agent's image.
 */
export function guardDutyManagesFargateAgent(baseline: Pick<BaselineConfig, "enabled" | "guardDuty">): boolean {
  return baseline.enabled && baseline.guardDuty;
}
