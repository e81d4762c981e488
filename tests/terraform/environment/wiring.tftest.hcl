# What Terraform evaluates in every environment stack, which Jest (reading the synthesized JSON)
# cannot: references resolved across resources. The values the constructs decide are Jest's.
# Runs the synthesized JSON with mocked providers: no AWS calls.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

run "wiring" {
  command = plan
  # the app's port is the same wherever it appears
  assert {
    condition = alltrue([
      one(aws_ecs_service.app_service.load_balancer).container_port == aws_lb_target_group.load_balancer_app.port,
      aws_vpc_security_group_ingress_rule.app_security_group_app_from_alb.from_port == aws_lb_target_group.load_balancer_app.port,
      aws_vpc_security_group_egress_rule.load_balancer_security_group_app_to_tasks.to_port == aws_lb_target_group.load_balancer_app.port,
    ])
    error_message = "the service, target group and both security group rules must agree on the app's port"
  }
  # the scaling alarms watch this service
  assert {
    condition = alltrue([for a in [aws_cloudwatch_metric_alarm.app_cpu_high, aws_cloudwatch_metric_alarm.app_memory_high] :
      a.dimensions.ServiceName == aws_ecs_service.app_service.name && a.dimensions.ClusterName == aws_ecs_cluster.app_cluster.name
    ])
    error_message = "the scaling alarms must read the dashboard service's metrics"
  }
  # the private subnets are spread over two zones
  assert {
    condition     = aws_subnet.network_private_a.availability_zone != aws_subnet.network_private_b.availability_zone
    error_message = "the private subnets must be in different zones"
  }
  # outputs name the resources they describe
  assert {
    condition     = output.app_log_group_name == aws_cloudwatch_log_group.app_logs.name && output.ecs_service_name == aws_ecs_service.app_service.name
    error_message = "outputs must resolve to the resources they name"
  }
}
