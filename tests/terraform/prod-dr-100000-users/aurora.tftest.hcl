# What Terraform evaluates in prod's standby at size 100000-users (serving): its Aurora secondary
# and cache, named from the settings (nothing is read from the primary region's state).

mock_provider "aws" {
  source = "./tests/mocks"
}

run "secondary_and_cache" {
  command = plan
  # the secondary joins prod's global database by name and forwards writes
  assert {
    condition     = aws_rds_cluster.aurora.global_cluster_identifier == "smh-dashboard-prod-global" && aws_rds_cluster.aurora.enable_global_write_forwarding
    error_message = "the secondary must join prod's global database and forward writes"
  }
  # its instances are in different zones of the DR region
  assert {
    condition     = aws_rds_cluster_instance.aurora_instance_a.availability_zone != aws_rds_cluster_instance.aurora_instance_b.availability_zone && startswith(aws_rds_cluster_instance.aurora_instance_a.availability_zone, "us-west-2")
    error_message = "the secondary's instances must be in two zones of us-west-2"
  }
  # the standby's tasks reach their secondary and cache on the ports these admit them on
  assert {
    condition = alltrue([
      aws_vpc_security_group_ingress_rule.aurora_security_group_postgres_from_tasks.from_port == aws_vpc_security_group_egress_rule.app_security_group_postgres_to_aurora.to_port,
      aws_vpc_security_group_ingress_rule.cache_security_group_cache_from_tasks.from_port == aws_elasticache_replication_group.cache.port,
    ])
    error_message = "the standby's tasks must leave for the secondary and the cache on the ports they admit them on"
  }
}
