# The operator's walkthrough of docs/deploy-aws.md (section 9: the same steps in this folder),
# applied against a mocked AWS provider:
#
#   terraform test -var-file=terraform.tfvars.example        (scripts/check-deploy.sh runs it)
#
# terraform.tfvars.example holds exactly the variables step 2 tells an operator to set. Every
# run is a plain apply of the whole configuration (no -target), on the state the run before
# left:
#   first_apply            step 3: network, ElastiCache, ALB, secrets, ECR; no service yet
#   first_image            step 6: `image` set, the autoscaled service and its alarms
#   webhook_and_admin_api  later: the webhook sink and the admin API turned on (two new secrets)
#   cache_without_tls      cache_transit_encryption = false gives the server a redis:// URL
# The mocked provider makes up computed values (ids, ARNs); terraform/tests/aws-mock gives the
# ones the provider validates or the modules compute with a real shape (the ElastiCache
# endpoint among them). The assertions read the `deployment` output, which reads back the
# resources Terraform created.

mock_provider "aws" {
  source = "../../tests/aws-mock"
}

variables {
  image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fire-poker:0123456789abcdef0123456789abcdef01234567"
}

run "first_apply" {
  variables {
    image = ""
  }

  assert {
    condition     = output.deployment.service == null && output.deployment.task == null && output.deployment.autoscaling == null && length(output.deployment.alarms) == 0
    error_message = "before the first image is in ECR there is no service (and nothing to alarm on)"
  }
  assert {
    condition     = output.deployment.elasticache.transit_encryption && output.deployment.elasticache.at_rest_encryption
    error_message = "ElastiCache encrypts in transit (TLS only) and at rest"
  }
  assert {
    condition     = output.deployment.elasticache.snapshot_retention_limit == 0 && output.deployment.elasticache.parameters["maxmemory-policy"] == "noeviction"
    error_message = "no persistence (rooms come back from the clients, history from Notion); a full cache refuses writes instead of evicting rooms"
  }
  assert {
    condition     = output.deployment.elasticache.automatic_failover && output.deployment.elasticache.nodes == 2
    error_message = "a primary and a replica with automatic failover"
  }
  assert {
    condition     = jsonencode(output.deployment.security_group_rules.redis_ingress) == jsonencode([{ protocol = "tcp", from_port = 6379, to_port = 6379, cidr = null, security_group = output.deployment.task_security_group_id }])
    error_message = "only the tasks reach ElastiCache, on 6379"
  }
  assert {
    condition = jsonencode(output.deployment.security_group_rules.task_egress) == jsonencode([
      { protocol = "tcp", from_port = 443, to_port = 443, cidr = "0.0.0.0/0", security_group = null },
      { protocol = "tcp", from_port = 6379, to_port = 6379, cidr = null, security_group = output.deployment.redis_security_group_id },
    ])
    error_message = "tasks go out on HTTPS, and to the cache's security group on 6379"
  }
  assert {
    condition     = jsonencode(output.deployment.security_group_rules.task_ingress) == jsonencode([{ protocol = "tcp", from_port = 8080, to_port = 8080, cidr = null, security_group = output.deployment.alb_security_group_id }])
    error_message = "only the ALB reaches the tasks, on 8080"
  }
  assert {
    condition     = output.deployment.load_balancer.health_check.path == "/healthz" && output.deployment.load_balancer.deregistration_delay_seconds == 30
    error_message = "liveness health check; tasks share the rooms, so a 30 s drain splits nothing"
  }
  assert {
    condition     = output.secret_ids == { FP_RESUME_SECRET = "fire-poker-prod/resume-secret", FP_SINKS_0_OPTIONS_TOKEN = "fire-poker-prod/notion-token" }
    error_message = "the secrets step 4 puts values into"
  }
}

run "first_image" {
  assert {
    condition     = output.deployment.service.desired_count == 2 && output.deployment.autoscaling.min_tasks == 2 && output.deployment.autoscaling.max_tasks == 6
    error_message = "2..6 tasks, starting at 2"
  }
  assert {
    condition     = jsonencode(sort(output.deployment.autoscaling.policies)) == jsonencode(["fire-poker-prod-connections", "fire-poker-prod-cpu"])
    error_message = "autoscaled on connections per task and on CPU"
  }
  assert {
    condition     = keys(output.deployment.task.containers) == ["otel-collector", "server"] && output.deployment.task.volumes == []
    error_message = "no Redis sidecar with ElastiCache"
  }
  assert {
    condition     = output.deployment.task.containers.server.environment["FP_STORAGE_OPTIONS_URL"] == "rediss://master.fire-poker-prod-redis.abc123.euw1.cache.amazonaws.com:6379/0"
    error_message = "transit encryption gives the server a rediss:// URL to the primary endpoint"
  }
  assert {
    condition     = output.deployment.task.containers.server.environment["FP_BUS_OPTIONS_URL"] == output.deployment.task.containers.server.environment["FP_STORAGE_OPTIONS_URL"]
    error_message = "storage and bus on the same Redis"
  }
  assert {
    condition     = output.deployment.task.containers["otel-collector"].environment["AOT_CONFIG_CONTENT"] == "metrics"
    error_message = "no sidecar memory to export"
  }
  assert {
    condition     = output.deployment.load_balancer.idle_timeout_seconds >= 2 * tonumber(output.deployment.task.containers.server.environment["FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS"])
    error_message = "the ALB idle timeout is at least twice the ping interval the server is given"
  }
  assert {
    condition     = output.deployment.task.containers.server.stop_timeout_seconds > tonumber(output.deployment.task.containers.server.environment["FP_SERVER_SHUTDOWNTIMEOUTSECONDS"])
    error_message = "ECS waits longer than the server's shutdown timeout before SIGKILL"
  }
  assert {
    condition     = alltrue([for name, arn in output.deployment.task.containers.server.secrets : startswith(arn, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:") && arn == output.deployment.secrets[name].arn]) && keys(output.deployment.task.containers.server.secrets) == ["FP_RESUME_SECRET", "FP_SINKS_0_OPTIONS_TOKEN"]
    error_message = "every secret comes from this deployment's Secrets Manager"
  }
  assert {
    condition     = output.deployment.task.containers.server.readonly_root_filesystem && output.deployment.service.circuit_breaker_rollback
    error_message = "read-only root file system; failing revisions roll back"
  }
  assert {
    condition     = output.deployment.alarms["redis-memory"].namespace == "AWS/ElastiCache" && contains(keys(output.deployment.alarms), "redis-cpu") && !contains(keys(output.deployment.alarms), "redis-sidecar-memory")
    error_message = "ElastiCache alarms, whose keys do not depend on the cache's id (known only after apply)"
  }
  assert {
    condition     = output.deployment.alarms["redis-memory"].dimensions["ReplicationGroupId"] != "" && contains(keys(output.deployment.alarms), "unavailable-errors")
    error_message = "the cache's alarms name it; unavailable errors are watched"
  }
  assert {
    condition     = output.deployment.alarms["no-healthy-target"].threshold == 2 && output.deployment.alarms["connections-high"].threshold == 4000
    error_message = "the minimum of 2 tasks; connections above 2x the autoscaling target mean scaling is not keeping up"
  }
}

run "webhook_and_admin_api" {
  variables {
    webhook_url = "https://hooks.example.com/fire-poker"
    admin_api   = true
  }

  assert {
    condition     = keys(output.deployment.task.containers.server.secrets) == ["FP_ADMIN_TOKEN", "FP_RESUME_SECRET", "FP_SINKS_0_OPTIONS_TOKEN", "FP_SINKS_1_OPTIONS_SECRET"]
    error_message = "the new secrets reach the server"
  }
  assert {
    condition     = alltrue([for name, arn in output.deployment.task.containers.server.secrets : startswith(arn, "arn:aws:secretsmanager:") && arn == output.deployment.secrets[name].arn])
    error_message = "every secret, the new ones too, comes from Secrets Manager"
  }
  assert {
    condition     = output.deployment.task.containers.server.command[1] == "/opt/fire-poker/share/fire-poker/configs/aws-webhook.json"
    error_message = "the webhook config"
  }
}

run "cache_without_tls" {
  variables {
    webhook_url              = "https://hooks.example.com/fire-poker"
    admin_api                = true
    cache_transit_encryption = false
  }

  assert {
    condition     = !output.deployment.elasticache.transit_encryption && output.deployment.task.containers.server.environment["FP_STORAGE_OPTIONS_URL"] == "redis://master.fire-poker-prod-redis.abc123.euw1.cache.amazonaws.com:6379/0"
    error_message = "a cache without TLS gets a redis:// URL"
  }
}
