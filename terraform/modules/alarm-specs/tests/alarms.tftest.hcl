variables {
  name_prefix             = "fire-poker-prod"
  service_name            = "fire-poker-prod"
  alb_arn_suffix          = "app/fire-poker-prod-alb/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/fire-poker-prod-tg/fedcba9876543210"
  cluster_name            = "fire-poker-prod"
  ecs_service_name        = "fire-poker-prod"
}

run "single_task_defaults" {
  command = plan

  assert {
    condition     = alltrue([for k in ["alb-5xx", "target-5xx", "unhealthy-targets", "no-healthy-target", "outbox-age", "outbox-failed", "connections-high"] : contains(keys(output.alarms), k)])
    error_message = "the alarms the issue asks for: 5xx, unhealthy targets, outbox age, connection count"
  }
  assert {
    condition     = !contains(keys(output.alarms), "redis-memory") && !contains(keys(output.alarms), "redis-cpu")
    error_message = "no ElastiCache alarms with the sidecar"
  }
  assert {
    condition     = output.alarms["redis-sidecar-memory"].metric_name == "container.memory.utilized" && output.alarms["redis-sidecar-memory"].dimensions["container.name"] == "redis" && output.alarms["redis-sidecar-memory"].dimensions["service.name"] == "fire-poker-prod"
    error_message = "the sidecar's memory comes from the collector (task metadata), for the redis container of this service"
  }
  assert {
    condition     = output.alarms["redis-sidecar-memory"].threshold == 153 && output.alarms["redis-sidecar-memory"].comparison_operator == "GreaterThanThreshold"
    error_message = "the sidecar alarm fires above 80% of its maxmemory (192 MiB of a 256 MiB container)"
  }
  assert {
    condition     = output.alarms["unavailable-errors"].metric_name == "fp_errors" && output.alarms["unavailable-errors"].dimensions["code"] == "unavailable" && output.alarms["unavailable-errors"].statistic == "Sum"
    error_message = "unavailable errors counted from the server's fp_errors_total{code=\"unavailable\"} (fp_errors in OTLP)"
  }
  assert {
    condition     = output.alarms["unavailable-errors"].threshold == 10 && output.alarms["unavailable-errors"].period == 300 && output.alarms["unavailable-errors"].treat_missing_data == "notBreaching"
    error_message = "more than 10 unavailable errors in 5 minutes; no errors means no data, which is fine"
  }
  assert {
    condition     = output.alarms["outbox-age"].threshold == 900 && output.alarms["outbox-age"].metric_name == "fp_outbox_oldest_age_seconds"
    error_message = "outbox older than 15 minutes"
  }
  assert {
    condition     = output.alarms["connections-high"].dimensions["service.name"] == "fire-poker-prod" && output.alarms["connections-high"].namespace == "FirePoker"
    error_message = "connection count from the server's own metric"
  }
  assert {
    condition     = output.alarms["target-5xx"].dimensions["TargetGroup"] == "targetgroup/fire-poker-prod-tg/fedcba9876543210"
    error_message = "target 5xx on the target group"
  }
  assert {
    condition     = output.alarms["alb-5xx"].alarm_name == "fire-poker-prod-alb-5xx"
    error_message = "alarm names carry the prefix"
  }
  assert {
    condition     = output.alarms["slow-responses"].extended_statistic == "p99" && output.alarms["slow-responses"].statistic == null
    error_message = "percentile alarms use extended_statistic only"
  }
  assert {
    condition     = alltrue([for a in output.alarms : (a.statistic == null) != (a.extended_statistic == null)])
    error_message = "every alarm has exactly one of statistic and extended_statistic"
  }
  assert {
    condition     = output.alarms["no-healthy-target"].treat_missing_data == "breaching"
    error_message = "no data about healthy hosts is an outage"
  }
  assert {
    condition     = can(tomap(output.alarms)) && length(distinct([for a in output.alarms : a.alarm_name])) == length(output.alarms)
    error_message = "the alarms are a map of one object type (for_each), with unique names"
  }
}

run "scaled_with_elasticache_and_custom_thresholds" {
  command = plan

  variables {
    redis_mode                       = "external"
    elasticache_replication_group_id = "fire-poker-prod-redis"
    min_healthy_tasks                = 2
    thresholds                       = { connections_per_task = 2500, outbox_oldest_age_seconds = 600, unavailable_errors_per_5min = 25 }
  }

  assert {
    condition     = output.alarms["redis-memory"].dimensions["ReplicationGroupId"] == "fire-poker-prod-redis"
    error_message = "ElastiCache memory is watched"
  }
  assert {
    condition     = output.alarms["connections-high"].threshold == 2500 && output.alarms["outbox-age"].threshold == 600 && output.alarms["unavailable-errors"].threshold == 25
    error_message = "custom thresholds apply"
  }
  assert {
    condition     = !contains(keys(output.alarms), "redis-sidecar-memory") && contains(keys(output.alarms), "redis-cpu")
    error_message = "ElastiCache alarms instead of the sidecar's"
  }
  assert {
    condition     = output.alarms["alb-5xx"].threshold == 10
    error_message = "thresholds not given keep their defaults"
  }
  assert {
    condition     = output.alarms["no-healthy-target"].threshold == 2
    error_message = "the minimum of healthy tasks follows the service"
  }
}

run "sidecar_alarm_follows_the_maxmemory" {
  command = plan

  variables {
    redis_sidecar_maxmemory_mib = 768
    thresholds                  = { redis_memory_percent = 90 }
  }

  assert {
    condition     = output.alarms["redis-sidecar-memory"].threshold == 691
    error_message = "90% of a 768 MiB maxmemory (1 GiB container)"
  }
}

run "unknown_redis_mode_is_refused" {
  command = plan

  variables {
    redis_mode = "memorystore"
  }

  expect_failures = [var.redis_mode]
}
