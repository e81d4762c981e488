/**
 * Every Terraform type a stack may hold, priced or free: the estimate (cost.ts) refuses a stack
 * with a type in neither table, so a new resource cannot be priced at $0 by omission. A type is
 * priced when a line of cost.ts reads it; free when AWS bills nothing for it (its cost, if any,
 * is in the line of the resource it configures, named in the reason).
 */

/** Types a line of the estimate prices, with the line. */
export const PRICED_TYPES: Readonly<Record<string, string>> = {
  aws_ecs_service: "Fargate tasks (desired count, Spot share)",
  aws_ecs_task_definition: "Fargate tasks (vCPU and memory per task)",
  aws_lb: "ALB hours + LCU",
  aws_nat_gateway: "NAT gateway hours + data",
  aws_eip: "Public IPv4 addresses",
  aws_vpc_endpoint: "Interface VPC endpoints (gateway endpoints are free)",
  aws_s3_bucket: "S3 Standard storage",
  aws_s3_bucket_replication_configuration: "S3 replicas in the DR region",
  aws_ecr_repository: "ECR image storage",
  aws_cloudwatch_log_group: "Log ingestion + storage (usage.logsIngestGb covers every log group of the environment)",
  aws_flow_log: "VPC flow logs",
  aws_cloudwatch_metric_alarm: "CloudWatch alarms (per metric)",
  aws_cloudwatch_dashboard: "CloudWatch dashboard",
  aws_cloudfront_distribution: "CloudFront data out + HTTPS requests",
  aws_cloudfront_vpc_origin: "Data transfer out (origin-to-CloudFront is free, CloudFront bills the viewers' bytes)",
  aws_cloudfront_function: "CloudFront Functions",
  aws_cloudwatch_log_delivery: "CloudFront access logs delivered to S3 (vended logs)",
  aws_db_instance: "RDS PostgreSQL instance + gp3 storage (+ its managed secret)",
  aws_db_instance_automated_backups_replication: "RDS backups replicated to the DR region",
  aws_rds_cluster: "Aurora storage and I/O (+ its managed secret)",
  aws_rds_cluster_instance: "Aurora instances",
  aws_elasticache_replication_group: "ElastiCache nodes",
  aws_wafv2_web_acl: "WAF web ACL (ACL, rules, requests)",
  aws_kms_key: "KMS customer-managed keys",
  aws_guardduty_detector: "GuardDuty (events, flow logs, Fargate vCPUs)",
  aws_config_configuration_recorder: "AWS Config (items, rule evaluations)",
  aws_cloudtrail: "CloudTrail (S3 data events; the first copy of management events is free)",
  aws_securityhub_account: "Security Hub (checks)",
};

/** Types AWS bills nothing for, with why; data sources as `data.<type>`. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  "data.aws_ecr_lifecycle_policy_document": "rendered by the provider, no API call",
  "data.aws_elb_service_account": "a read at plan time",
  "data.aws_iam_policy_document": "rendered by the provider, no API call",
  "data.aws_partition": "a read at plan time",
  aws_appautoscaling_policy: "Application Auto Scaling is free; its alarms are priced as alarms",
  aws_appautoscaling_target: "Application Auto Scaling is free",
  aws_appautoscaling_scheduled_action: "Application Auto Scaling is free; the tasks it stops or starts are in the Fargate line",
  aws_cloudfront_cache_policy: "configuration of the distribution",
  aws_cloudfront_origin_access_control: "configuration of the distribution",
  aws_cloudfront_response_headers_policy: "configuration of the distribution",
  aws_cloudwatch_log_delivery_source: "half of a log delivery, billed as aws_cloudwatch_log_delivery",
  aws_cloudwatch_log_delivery_destination: "half of a log delivery, billed as aws_cloudwatch_log_delivery",
  aws_config_config_rule: "billed per evaluation in the AWS Config line",
  aws_config_configuration_recorder_status: "switch of the recorder",
  aws_config_delivery_channel: "configuration of the recorder (its bucket is priced as S3)",
  aws_db_parameter_group: "configuration of the instance",
  aws_db_subnet_group: "configuration of the instance",
  aws_default_security_group: "security groups are free",
  aws_ecr_lifecycle_policy: "configuration of the repository",
  aws_ecr_replication_configuration: "replicated images are billed as ECR storage in the DR region, a few GB (not priced: under $1)",
  aws_ecs_cluster: "ECS on Fargate bills tasks, not clusters",
  aws_ecs_cluster_capacity_providers: "ECS on Fargate bills tasks, not capacity providers",
  aws_elasticache_parameter_group: "configuration of the replication group",
  aws_elasticache_subnet_group: "configuration of the replication group",
  aws_elasticache_user: "ElastiCache RBAC users are free",
  aws_elasticache_user_group: "ElastiCache RBAC user groups are free",
  aws_guardduty_detector_feature: "billed in the GuardDuty line (the Fargate vCPUs it monitors)",
  aws_iam_openid_connect_provider: "IAM is free",
  aws_iam_policy: "IAM is free",
  aws_iam_role: "IAM is free",
  aws_iam_role_policy: "IAM is free",
  aws_iam_role_policy_attachment: "IAM is free",
  aws_internet_gateway: "internet gateways are free (data transfer out is priced)",
  aws_kms_alias: "aliases are free (the key is priced)",
  aws_lb_listener: "part of the ALB's hours and LCUs",
  aws_lb_target_group: "part of the ALB's hours and LCUs",
  aws_rds_cluster_parameter_group: "configuration of the cluster",
  aws_rds_global_cluster: "the global database bills its clusters' instances, storage and replicated writes",
  aws_route: "routing is free",
  aws_route_table: "routing is free",
  aws_route_table_association: "routing is free",
  aws_s3_bucket_cors_configuration: "configuration of the bucket",
  aws_s3_bucket_lifecycle_configuration: "configuration of the bucket (transitions are a few requests)",
  aws_s3_bucket_logging: "configuration of the bucket (the logs land in the priced logs bucket)",
  aws_s3_bucket_notification: "configuration of the bucket",
  aws_s3_bucket_ownership_controls: "configuration of the bucket",
  aws_s3_bucket_policy: "configuration of the bucket",
  aws_s3_bucket_public_access_block: "configuration of the bucket",
  aws_s3_account_public_access_block: "S3 Block Public Access is a free account setting",
  aws_s3_bucket_server_side_encryption_configuration: "configuration of the bucket",
  aws_s3_bucket_versioning: "configuration of the bucket (old versions expire: noncurrentVersionExpirationDays)",
  aws_s3_bucket_website_configuration: "configuration of the bucket",
  aws_security_group: "security groups are free",
  aws_scheduler_schedule:
    "EventBridge Scheduler bills invocations beyond 14 million a month ($1.00 per million, aws.amazon.com/eventbridge/pricing, as cloudburn.io's 2026-03 table quotes it); working hours invoke a few a day",
  aws_securityhub_standards_subscription: "billed per check in the Security Hub line",
  aws_sns_topic: "the first million publishes and 1,000 e-mails a month are free; alarms publish a few",
  aws_sns_topic_subscription: "subscriptions are free",
  aws_subnet: "subnets are free",
  aws_vpc: "VPCs are free",
  aws_vpc_security_group_egress_rule: "security group rules are free",
  aws_vpc_security_group_ingress_rule: "security group rules are free",
  aws_wafv2_web_acl_association: "billed in the web ACL's line",
  aws_wafv2_web_acl_logging_configuration: "its log group's ingestion is in the CloudWatch Logs line",
};

/** The types of a stack's resources and data sources (`data.<type>`). */
export function typesOf(json: { resource?: Record<string, unknown>; data?: Record<string, unknown> }): string[] {
  return [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {}).map((type) => `data.${type}`)];
}

/** The types of a stack that neither table lists: what the estimate would miss. */
export function unpricedTypes(json: { resource?: Record<string, unknown>; data?: Record<string, unknown> }): string[] {
  return typesOf(json).filter((type) => PRICED_TYPES[type] === undefined && FREE_TYPES[type] === undefined);
}

/** Refuses a stack with a type the estimate would miss, naming the types and the fix. */
export function assertPriced(json: { resource?: Record<string, unknown>; data?: Record<string, unknown> }): void {
  const missing = unpricedTypes(json);
  if (missing.length > 0)
    throw new Error(
      `the cost estimate has no price for ${missing.join(", ")}: add a line to tools/lib/ops/cost.ts and the type to PRICED_TYPES, or the type to FREE_TYPES with why it is free (tools/lib/ops/resource-types.ts)`,
    );
}
