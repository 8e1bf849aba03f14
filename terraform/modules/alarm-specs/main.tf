# What to alarm on and at which thresholds, as data: one object per CloudWatch alarm, so the
# choice is tested without a provider and modules/observability only creates the alarms.
locals {
  t = var.thresholds

  # Maps, not objects, so every alarm has the same type and the result is a map of objects.
  alb_dims     = tomap({ LoadBalancer = var.alb_arn_suffix })
  tg_dims      = tomap({ LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix })
  service_dims = tomap({ ClusterName = var.cluster_name, ServiceName = var.ecs_service_name })
  app_dims     = tomap({ "service.name" = var.service_name })

  base = {
    alb-5xx = {
      description         = "The load balancer answered 5xx itself (no healthy target, target reset): users see errors."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "HTTPCode_ELB_5XX_Count"
      dimensions          = local.alb_dims
      statistic           = "Sum"
      period              = 300
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.alb_5xx_per_5min
      treat_missing_data  = "notBreaching"
    }
    target-5xx = {
      description         = "The server answered 5xx (storage unavailable, internal errors)."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "HTTPCode_Target_5XX_Count"
      dimensions          = local.tg_dims
      statistic           = "Sum"
      period              = 300
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.target_5xx_per_5min
      treat_missing_data  = "notBreaching"
    }
    unhealthy-targets = {
      description         = "A task fails /healthz on the load balancer for 2 minutes."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "UnHealthyHostCount"
      dimensions          = local.tg_dims
      statistic           = "Maximum"
      period              = 60
      evaluation_periods  = 2
      datapoints_to_alarm = 2
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      treat_missing_data  = "notBreaching"
    }
    no-healthy-target = {
      description         = "Fewer healthy tasks than the minimum for a minute: the service is down."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "HealthyHostCount"
      dimensions          = local.tg_dims
      statistic           = "Minimum"
      period              = 60
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "LessThanThreshold"
      threshold           = var.min_healthy_tasks
      treat_missing_data  = "breaching"
    }
    slow-responses = {
      description         = "p99 of HTTP responses (API, static) above the threshold for 10 minutes."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "TargetResponseTime"
      dimensions          = local.tg_dims
      extended_statistic  = "p99"
      period              = 300
      evaluation_periods  = 2
      datapoints_to_alarm = 2
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.target_p99_response_seconds
      treat_missing_data  = "notBreaching"
    }
    outbox-age = {
      description         = "The oldest undelivered result is older than the threshold: a sink (Notion) is down, paused or rejecting."
      namespace           = var.metric_namespace
      metric_name         = "fp_outbox_oldest_age_seconds"
      dimensions          = local.app_dims
      statistic           = "Maximum"
      period              = 300
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.outbox_oldest_age_seconds
      treat_missing_data  = "missing"
    }
    outbox-failed = {
      description         = "Results kept as failed after all retries: an operator must look (docs/operations.md)."
      namespace           = var.metric_namespace
      metric_name         = "fp_outbox_failed"
      dimensions          = local.app_dims
      statistic           = "Maximum"
      period              = 300
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.outbox_failed
      treat_missing_data  = "missing"
    }
    connections-high = {
      description         = "WebSocket connections on one task above the threshold: scale out (aws-scaled) or size up the task."
      namespace           = var.metric_namespace
      metric_name         = "fp_connections"
      dimensions          = local.app_dims
      statistic           = "Maximum"
      period              = 300
      evaluation_periods  = 2
      datapoints_to_alarm = 2
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.connections_per_task
      treat_missing_data  = "missing"
    }
    metrics-missing = {
      description         = "No fp_connections data for 15 minutes: the collector or the OTLP export is broken, the other app alarms are blind."
      namespace           = var.metric_namespace
      metric_name         = "fp_connections"
      dimensions          = local.app_dims
      statistic           = "SampleCount"
      period              = 300
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      comparison_operator = "LessThanThreshold"
      threshold           = 1
      treat_missing_data  = "breaching"
    }
    cpu-high = {
      description         = "Task CPU above the threshold for 10 minutes."
      namespace           = "AWS/ECS"
      metric_name         = "CPUUtilization"
      dimensions          = local.service_dims
      statistic           = "Average"
      period              = 300
      evaluation_periods  = 2
      datapoints_to_alarm = 2
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.cpu_percent
      treat_missing_data  = "missing"
    }
    memory-high = {
      description         = "Task memory above the threshold for 10 minutes (the Redis sidecar grows with rooms)."
      namespace           = "AWS/ECS"
      metric_name         = "MemoryUtilization"
      dimensions          = local.service_dims
      statistic           = "Maximum"
      period              = 300
      evaluation_periods  = 2
      datapoints_to_alarm = 2
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.memory_percent
      treat_missing_data  = "missing"
    }
    unavailable-errors = {
      description         = "Clients got `unavailable` errors (fp_errors_total{code=\"unavailable\"}): storage or bus refused their commands (Redis down, full under noeviction, or the instance at maxRoomsPerInstance)."
      namespace           = var.metric_namespace
      metric_name         = "fp_errors"
      dimensions          = tomap({ "service.name" = var.service_name, code = "unavailable" })
      statistic           = "Sum"
      period              = 300
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "GreaterThanThreshold"
      threshold           = local.t.unavailable_errors_per_5min
      treat_missing_data  = "notBreaching"
    }
  }

  # Keyed by redis_mode, a value known when Terraform plans (never by an id that exists only
  # after apply), so the set of alarms is known at plan and a first apply needs no -target.
  redis = {
    sidecar = {
      redis-sidecar-memory = {
        description         = "The Redis sidecar's memory is near its maxmemory (${var.redis_sidecar_maxmemory_mib} MiB): with noeviction, writes then fail and clients get `unavailable`."
        namespace           = var.metric_namespace
        metric_name         = "container.memory.utilized"
        dimensions          = tomap({ "service.name" = var.service_name, "container.name" = "redis" })
        statistic           = "Maximum"
        period              = 60
        evaluation_periods  = 5
        datapoints_to_alarm = 5
        comparison_operator = "GreaterThanThreshold"
        threshold           = floor(var.redis_sidecar_maxmemory_mib * local.t.redis_memory_percent / 100)
        treat_missing_data  = "missing"
      }
    }
    external = {
      redis-memory = {
        description         = "ElastiCache memory above the threshold: with noeviction, writes fail when it is full."
        namespace           = "AWS/ElastiCache"
        metric_name         = "DatabaseMemoryUsagePercentage"
        dimensions          = tomap({ ReplicationGroupId = var.elasticache_replication_group_id })
        statistic           = "Maximum"
        period              = 300
        evaluation_periods  = 1
        datapoints_to_alarm = 1
        comparison_operator = "GreaterThanThreshold"
        threshold           = local.t.redis_memory_percent
        treat_missing_data  = "missing"
      }
      redis-cpu = {
        description         = "ElastiCache engine CPU above the threshold for 10 minutes."
        namespace           = "AWS/ElastiCache"
        metric_name         = "EngineCPUUtilization"
        dimensions          = tomap({ ReplicationGroupId = var.elasticache_replication_group_id })
        statistic           = "Average"
        period              = 300
        evaluation_periods  = 2
        datapoints_to_alarm = 2
        comparison_operator = "GreaterThanThreshold"
        threshold           = local.t.redis_cpu_percent
        treat_missing_data  = "missing"
      }
    }
  }

  alarms = {
    for key, alarm in merge(local.base, local.redis[var.redis_mode]) : key => merge(
      {
        statistic          = null
        extended_statistic = null
      },
      alarm,
      { alarm_name = "${var.name_prefix}-${key}", threshold = tonumber(alarm.threshold) },
    )
  }
}
