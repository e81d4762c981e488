# What Terraform evaluates in prod's standby service: references resolved across its resources
# (the values the constructs decide are Jest's, __tests__/dr.spec.ts).

mock_provider "aws" {
  source = "./tests/mocks"
}

run "standby" {
  command = plan
  # the app's port is the same wherever it appears
  assert {
    condition = alltrue([
      one(aws_ecs_service.app_service.load_balancer).container_port == aws_lb_target_group.load_balancer_app.port,
      aws_vpc_security_group_ingress_rule.app_security_group_app_from_alb.from_port == aws_lb_target_group.load_balancer_app.port,
      aws_vpc_security_group_egress_rule.load_balancer_security_group_app_to_tasks.to_port == aws_lb_target_group.load_balancer_app.port,
    ])
    error_message = "the standby's service, target group and security group rules must agree on the app's port"
  }
  # the replica admits the standby's tasks on the port they leave on
  assert {
    condition     = aws_vpc_security_group_ingress_rule.replica_security_group_postgres_from_tasks.from_port == aws_vpc_security_group_egress_rule.app_security_group_postgres_to_db.to_port
    error_message = "the tasks must leave for the replica on the port it admits them on"
  }
  # the standby's scaling alarms watch the standby's service
  assert {
    condition = alltrue([for a in [aws_cloudwatch_metric_alarm.app_cpu_high, aws_cloudwatch_metric_alarm.app_memory_high] :
      a.dimensions.ServiceName == aws_ecs_service.app_service.name && a.dimensions.ClusterName == aws_ecs_cluster.app_cluster.name
    ])
    error_message = "the scaling alarms must read the standby service's metrics"
  }
  # outputs name the resources they describe
  assert {
    condition     = output.ecs_service_name == aws_ecs_service.app_service.name && output.ecs_cluster_name == aws_ecs_cluster.app_cluster.name
    error_message = "outputs must resolve to the resources they name"
  }
}
