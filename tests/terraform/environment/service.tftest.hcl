# The application tier of every environment stack: ECS service, ALB, scaling.

mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "dr"
  source = "./tests/mocks"
}

# One run per file: each run is a full plan of the stack.
run "service" {
  command = plan
  # fargate task matches the seed
  assert {
    condition     = aws_ecs_task_definition.app_task_definition.cpu == "512" && aws_ecs_task_definition.app_task_definition.memory == "1024"
    error_message = "tasks must have 512 CPU units and 1024 MB (seed)"
  }
  assert {
    condition     = aws_ecs_task_definition.app_task_definition.network_mode == "awsvpc" && aws_ecs_task_definition.app_task_definition.requires_compatibilities == toset(["FARGATE"])
    error_message = "tasks must run on Fargate with awsvpc networking"
  }
  assert {
    condition     = one(aws_ecs_service.app_service.load_balancer).container_port == 8501
    error_message = "the service must register the container's Streamlit port 8501"
  }
  assert {
    condition     = aws_ecs_service.app_service.desired_count == 2 && !aws_ecs_service.app_service.network_configuration[0].assign_public_ip
    error_message = "2 tasks, no public IPs (seed)"
  }
  assert {
    condition     = aws_ecs_service.app_service.deployment_circuit_breaker[0].rollback
    error_message = "failed deployments must roll back"
  }
  # alb serves streamlit with sticky sessions
  assert {
    condition     = aws_lb.load_balancer.drop_invalid_header_fields
    error_message = "the ALB must drop invalid headers"
  }
  assert {
    condition     = aws_lb_target_group.load_balancer_app.port == 8501 && aws_lb_target_group.load_balancer_app.target_type == "ip"
    error_message = "the target group must send to task IPs on 8501"
  }
  assert {
    condition     = aws_lb_target_group.load_balancer_app.health_check[0].path == "/_stcore/health"
    error_message = "health check must use Streamlit's /_stcore/health"
  }
  assert {
    condition     = aws_lb_target_group.load_balancer_app.stickiness[0].type == "lb_cookie" && aws_lb_target_group.load_balancer_app.stickiness[0].enabled
    error_message = "Streamlit sessions need sticky load balancing"
  }
  # scaling is one to four tasks on cpu and memory
  assert {
    condition     = aws_appautoscaling_target.app_scaling_target.min_capacity == 1 && aws_appautoscaling_target.app_scaling_target.max_capacity == 4
    error_message = "autoscaling must keep 1 to 4 tasks (seed)"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.app_cpu_high.threshold == 70 && aws_cloudwatch_metric_alarm.app_cpu_high.period == 60
    error_message = "CPU above 70% for 60 s must scale out"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.app_memory_high.threshold == 80
    error_message = "memory above 80% must scale out"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.app_scale_in_alarm.evaluation_periods * 60 == 300
    error_message = "scale-in must need 300 s of low load"
  }
}
