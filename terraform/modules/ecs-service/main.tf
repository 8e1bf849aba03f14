# ECS on Fargate: the cluster, the task definition (server + Redis sidecar + collector from
# modules/ecs-container-definitions), the service with rolling deployments and a circuit
# breaker that rolls back, and autoscaling on the server's own connection count.
#
# The task definition and the service exist once there is an image to run (var.image): a
# service created before its image is in ECR fails its first deployment and stops trying.
# Every count and for_each here depends on inputs known at plan (image, flags, names), never
# on ids or ARNs that exist only after apply.
locals {
  create_service = var.image != ""
}

module "containers" {
  source = "../ecs-container-definitions"

  runtime              = var.runtime
  image                = local.create_service ? var.image : "unused-until-an-image-is-set"
  redis_image          = var.redis_image
  otel_collector_image = var.otel_collector_image
  task_cpu             = var.task_cpu
  task_memory_mib      = var.task_memory_mib
  server_cpu           = var.container_resources.server_cpu
  server_memory_mib    = var.container_resources.server_memory_mib
  redis_cpu            = var.container_resources.redis_cpu
  redis_memory_mib     = var.container_resources.redis_memory_mib
  otel_cpu             = var.container_resources.otel_cpu
  otel_memory_mib      = var.container_resources.otel_memory_mib
  secrets              = var.secrets
  aws_region           = var.aws_region
  log_groups           = { server = var.names.log_group_server, redis = var.names.log_group_redis, otel = var.names.log_group_otel }
  emf_log_group        = var.names.log_group_emf
  metric_namespace     = var.names.metric_namespace
  # The SSM agent of ECS Exec writes into the container's root file system.
  readonly_root_filesystem = !var.enable_execute_command
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_ecs_cluster" "this" {
  name = var.names.cluster
  tags = var.tags

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# --- IAM ---------------------------------------------------------------------------------------

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

# The execution role: pull the image, write logs, read the secrets at task start.
resource "aws_iam_role" "execution" {
  name               = var.names.execution_role
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# Every secret is a Secrets Manager secret (var.secrets is validated). One statement for all
# of them: no count on their ARNs, which are unknown until the secrets exist.
data "aws_iam_policy_document" "read_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = distinct(values(var.secrets))
  }
}

resource "aws_iam_role_policy" "read_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.read_secrets.json
}

# The task role: what the containers themselves may do (the collector writes EMF logs).
resource "aws_iam_role" "task" {
  name               = var.names.task_role
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "CollectorWritesMetrics"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [
      "arn:${data.aws_partition.current.partition}:logs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:log-group:${var.names.log_group_emf}",
      "arn:${data.aws_partition.current.partition}:logs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:log-group:${var.names.log_group_emf}:*",
    ]
  }

  dynamic "statement" {
    for_each = var.enable_execute_command ? [1] : []
    content {
      sid = "ExecuteCommand"
      actions = [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "fire-poker-task"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# --- task definition and service ---------------------------------------------------------------

resource "aws_ecs_task_definition" "this" {
  count                    = local.create_service ? 1 : 0
  family                   = var.names.task_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.task_cpu)
  memory                   = tostring(var.task_memory_mib)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = module.containers.json
  tags                     = var.tags

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  dynamic "volume" {
    for_each = module.containers.redis_volume_name == null ? [] : [module.containers.redis_volume_name]
    content {
      name = volume.value
    }
  }
}

resource "aws_ecs_service" "this" {
  count                              = local.create_service ? 1 : 0
  name                               = var.names.service
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this[0].arn
  desired_count                      = var.autoscaling.enabled ? var.autoscaling.min_tasks : var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "1.4.0"
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = false
  tags                               = var.tags

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.task_security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = module.containers.server_container_name
    container_port   = module.containers.server_port
  }

  # The image is rolled out by .github/workflows/deploy.yml (new task definition revision),
  # and autoscaling owns the task count: Terraform must not undo either.
  lifecycle {
    ignore_changes = [task_definition, desired_count]

    precondition {
      condition     = !(var.runtime.redis_sidecar && var.autoscaling.enabled)
      error_message = "Autoscaling needs an external Redis: with a Redis sidecar every task would hold its own rooms."
    }
    precondition {
      condition     = !var.runtime.redis_sidecar || var.desired_count == 1
      error_message = "With a Redis sidecar the service runs exactly one task (the ADR's single task)."
    }
    precondition {
      condition     = !var.runtime.redis_sidecar || var.deployment_minimum_healthy_percent == 100
      error_message = "With a Redis sidecar the new task must be healthy before the old one stops (minimum healthy 100%): the single task's rooms come back from the clients, which need a task to reconnect to."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.read_secrets]
}

moved {
  from = aws_ecs_task_definition.this
  to   = aws_ecs_task_definition.this[0]
}

moved {
  from = aws_ecs_service.this
  to   = aws_ecs_service.this[0]
}

# --- autoscaling -------------------------------------------------------------------------------

resource "aws_appautoscaling_target" "this" {
  count              = var.autoscaling.enabled && local.create_service ? 1 : 0
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this[0].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling.min_tasks
  max_capacity       = var.autoscaling.max_tasks
}

# Connections per task, from the server's fp_connections (OTLP -> collector -> CloudWatch).
resource "aws_appautoscaling_policy" "connections" {
  count              = length(aws_appautoscaling_target.this)
  name               = "${var.names.service}-connections"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.connections_per_task
    scale_out_cooldown = 60
    # Scaling in closes the connections of the removed task (clients reconnect): be slow.
    scale_in_cooldown = 600

    customized_metric_specification {
      namespace   = var.names.metric_namespace
      metric_name = "fp_connections"
      statistic   = "Average"

      dimensions {
        name  = "service.name"
        value = var.runtime.environment["FP_TELEMETRY_SERVICENAME"]
      }
    }
  }
}

resource "aws_appautoscaling_policy" "cpu" {
  count              = length(aws_appautoscaling_target.this)
  name               = "${var.names.service}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.cpu_percent
    scale_out_cooldown = 60
    scale_in_cooldown  = 600

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
