# Names and tags for every resource of one deployment, computed in one place and without a
# provider, so that they can be tested with `terraform test` and stay within AWS' limits
# (target group and load balancer names: at most 32 characters).
locals {
  prefix = "${var.project}-${var.environment}"

  # AWS limits ALB and target group names to 32 characters of [A-Za-z0-9-], not ending in '-'.
  short = trimsuffix(substr(local.prefix, 0, 28), "-")

  names = {
    cluster          = local.prefix
    service          = local.prefix
    task_family      = local.prefix
    alb              = "${local.short}-alb"
    target_group     = "${local.short}-tg"
    alb_sg           = "${local.prefix}-alb"
    task_sg          = "${local.prefix}-task"
    redis_sg         = "${local.prefix}-redis"
    redis_cluster    = substr("${local.prefix}-redis", 0, 40)
    execution_role   = "${local.prefix}-execution"
    task_role        = "${local.prefix}-task"
    alarm_topic      = "${local.prefix}-alarms"
    log_group_server = "/ecs/${local.prefix}/server"
    log_group_redis  = "/ecs/${local.prefix}/redis"
    log_group_otel   = "/ecs/${local.prefix}/otel-collector"
    log_group_emf    = "/ecs/${local.prefix}/metrics"
    metric_namespace = "FirePoker"
  }

  tags = merge(
    {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    },
    var.extra_tags,
  )
}
