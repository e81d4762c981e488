# What Terraform evaluates in prod at size 100000-users (__tests__/national-scale.spec.ts):
# references resolved across the Aurora cluster, its global database, the cache and the edge.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "aurora_cache_edge" {
  command = plan
  # the global database is created from prod's cluster, under the name the standby joins
  assert {
    condition     = aws_rds_global_cluster.aurora_global.global_cluster_identifier == "smh-dashboard-prod-global" && aws_rds_global_cluster.aurora_global.engine_version == aws_rds_cluster.aurora.engine_version
    error_message = "the global database must carry the name prod-dr joins and prod's engine version"
  }
  # a writer and a reader in different zones
  assert {
    condition     = aws_rds_cluster_instance.aurora_instance_a.availability_zone != aws_rds_cluster_instance.aurora_instance_b.availability_zone
    error_message = "the writer and the reader must be in different zones"
  }
  # TLS only, in the cluster's parameter group
  assert {
    condition     = contains([for p in aws_rds_cluster_parameter_group.aurora_parameters.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "the cluster's parameter group must require TLS"
  }
  # the tasks leave for Aurora and the cache on the ports these admit them on
  assert {
    condition = alltrue([
      aws_vpc_security_group_ingress_rule.aurora_security_group_postgres_from_tasks.from_port == aws_vpc_security_group_egress_rule.app_security_group_postgres_to_aurora.to_port,
      aws_vpc_security_group_ingress_rule.cache_security_group_cache_from_tasks.from_port == aws_vpc_security_group_egress_rule.app_security_group_cache_to_cache.to_port,
      aws_vpc_security_group_ingress_rule.cache_security_group_cache_from_tasks.from_port == aws_elasticache_replication_group.cache.port,
    ])
    error_message = "the tasks must leave for Aurora and the cache on the ports they admit them on"
  }
  # the cache spans both zones and requires TLS
  assert {
    condition     = length(toset(aws_elasticache_replication_group.cache.preferred_cache_cluster_azs)) == 2 && aws_elasticache_replication_group.cache.transit_encryption_mode == "required"
    error_message = "the cache must span both zones and require TLS"
  }
  # the function sends viewers to an origin the distribution has
  assert {
    condition     = contains([for o in aws_cloudfront_distribution.cdn.origin : o.origin_id], "alb-standby") && strcontains(aws_cloudfront_function.cdn_standby_share.code, "'alb-standby'")
    error_message = "the standby-share function must name the distribution's standby origin"
  }
}
