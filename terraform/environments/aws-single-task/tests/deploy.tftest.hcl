# The operator's walkthrough of docs/deploy-aws.md, applied against a mocked AWS provider:
#
#   terraform test -var-file=terraform.tfvars.example        (scripts/check-deploy.sh runs it)
#
# terraform.tfvars.example holds exactly the variables step 2 tells an operator to set. Every
# run is a plain apply of the whole configuration (no -target), on the state the run before
# left, as an operator's applies follow each other:
#   first_apply            step 3: everything but the service (no image in ECR yet)
#   first_image            step 6: `image` set, the service and its alarms are created
#   webhook_and_admin_api  later: the webhook sink and the admin API turned on (two new secrets)
#   ecs_exec               for debugging: ECS Exec on (and the root file systems writable)
# The mocked provider makes up computed values (ids, ARNs); terraform/tests/aws-mock gives the
# ones the provider validates or the modules compute with a real shape. The assertions read
# the `deployment` output, which reads back the resources Terraform created.

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
    condition     = output.deployment.service == null && output.deployment.task == null && length(output.deployment.alarms) == 0
    error_message = "before the first image is in ECR there is no service to start (and nothing to alarm on)"
  }
  assert {
    condition     = output.ecr_repository_url == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fire-poker" && output.github_deploy_role_arn != null
    error_message = "the image repository and the deploy role exist after the first apply (steps 5 and 8 need them)"
  }
  assert {
    condition     = output.secret_ids == { FP_RESUME_SECRET = "fire-poker-prod/resume-secret", FP_SINKS_0_OPTIONS_TOKEN = "fire-poker-prod/notion-token" }
    error_message = "the secrets step 4 puts values into: resume secret and Notion token (no webhook, no admin API yet)"
  }
  assert {
    condition     = output.deployment.load_balancer.health_check.path == "/healthz" && output.deployment.load_balancer.health_check.matcher == "200"
    error_message = "the target group checks liveness (/healthz), not readiness"
  }
  assert {
    condition     = output.deployment.load_balancer.deregistration_delay_seconds == 5
    error_message = "single task: a deregistered task keeps its connections 5 s (the window two Redis sidecars split a room)"
  }
  assert {
    condition     = output.deployment.load_balancer.http_redirects_to_https && output.deployment.load_balancer.listener_rules["metrics"].action == "fixed-response"
    error_message = "HTTP redirects to HTTPS; /metrics is not public"
  }
  assert {
    condition = jsonencode(output.deployment.security_group_rules.alb_ingress) == jsonencode([
      { protocol = "tcp", from_port = 80, to_port = 80, cidr = "0.0.0.0/0", security_group = null },
      { protocol = "tcp", from_port = 443, to_port = 443, cidr = "0.0.0.0/0", security_group = null },
    ])
    error_message = "the internet reaches the ALB on 80 and 443 only"
  }
  assert {
    condition     = jsonencode(output.deployment.security_group_rules.alb_egress) == jsonencode([{ protocol = "tcp", from_port = 8080, to_port = 8080, cidr = null, security_group = output.deployment.task_security_group_id }])
    error_message = "the ALB talks to the tasks' port only"
  }
  assert {
    condition     = jsonencode(output.deployment.security_group_rules.task_ingress) == jsonencode([{ protocol = "tcp", from_port = 8080, to_port = 8080, cidr = null, security_group = output.deployment.alb_security_group_id }])
    error_message = "only the ALB reaches the tasks, on 8080"
  }
  assert {
    condition     = jsonencode(output.deployment.security_group_rules.task_egress) == jsonencode([{ protocol = "tcp", from_port = 443, to_port = 443, cidr = "0.0.0.0/0", security_group = null }])
    error_message = "tasks go out on HTTPS only (ECR, CloudWatch, Secrets Manager, Notion); the sidecar is on loopback"
  }
  assert {
    condition     = output.deployment.security_group_rules.redis_ingress == [] && output.deployment.redis_security_group_id == null && output.deployment.elasticache == null
    error_message = "no ElastiCache and no Redis security group with the sidecar"
  }
  assert {
    condition     = output.url == "https://poker.example.com"
    error_message = "the service answers on the domain of step 2"
  }
}

run "first_image" {
  assert {
    condition     = output.deployment.service.desired_count == 1 && output.deployment.autoscaling == null
    error_message = "exactly one task and no autoscaling: every task would have its own Redis"
  }
  assert {
    condition     = output.deployment.service.deployment_minimum_healthy_percent == 100 && output.deployment.service.deployment_maximum_percent == 200 && output.deployment.service.circuit_breaker_rollback
    error_message = "a deploy starts the new task beside the old one and stops the old one once the new one is healthy; a failing revision rolls back"
  }
  assert {
    condition     = jsonencode(output.deployment.service.load_balancer_container) == jsonencode(["server"]) && jsonencode(output.deployment.service.load_balancer_port) == jsonencode([8080]) && !output.deployment.service.assign_public_ip
    error_message = "the ALB targets the server container in private subnets"
  }
  assert {
    condition     = keys(output.deployment.task.containers) == ["otel-collector", "redis", "server"] && output.deployment.task.containers.server.image == var.image
    error_message = "server (the image of step 6), Redis sidecar and collector"
  }
  assert {
    condition     = output.deployment.load_balancer.idle_timeout_seconds >= 2 * tonumber(output.deployment.task.containers.server.environment["FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS"])
    error_message = "the ALB idle timeout is at least twice the ping interval the server is given: quiet WebSockets stay open"
  }
  assert {
    condition     = endswith(output.deployment.task.containers.server.health_check[3], output.deployment.load_balancer.health_check.path)
    error_message = "the ALB and the container health check probe the same path"
  }
  assert {
    condition     = output.deployment.task.containers.server.stop_timeout_seconds > tonumber(output.deployment.task.containers.server.environment["FP_SERVER_SHUTDOWNTIMEOUTSECONDS"])
    error_message = "ECS waits longer than the server's shutdown timeout before SIGKILL: the outbox drains and the process exits 0"
  }
  assert {
    condition     = output.deployment.load_balancer.deregistration_delay_seconds + output.deployment.task.containers.server.stop_timeout_seconds <= 20
    error_message = "the old task is gone at most 20 s after the new one is healthy (5 s drain, then SIGTERM and at most 15 s)"
  }
  assert {
    condition     = output.deployment.load_balancer.deregistration_delay_seconds < tonumber(output.deployment.task.containers.server.environment["FP_SERVER_SHUTDOWNTIMEOUTSECONDS"])
    error_message = "the drain (when the split room is live on two tasks) is shorter than the server's own graceful shutdown"
  }
  assert {
    condition     = join(" ", output.deployment.task.containers.redis.command) == "redis-server --save  --appendonly no --maxmemory 192mb --maxmemory-policy noeviction --bind 127.0.0.1 --port 6379"
    error_message = "Redis sidecar: no RDB (--save \"\"), no AOF, maxmemory 75% of its container, noeviction, loopback only"
  }
  assert {
    condition     = output.deployment.task.containers.redis.memory_mib == 256 && output.deployment.task.containers.redis.port == null && output.deployment.task.containers.redis.mount_points == ["/data"]
    error_message = "Redis has a hard memory cap, no published port, and only a scratch volume"
  }
  assert {
    condition     = output.deployment.task.containers.server.depends_on == { redis = "HEALTHY" } && output.deployment.task.containers.server.environment["FP_STORAGE_OPTIONS_URL"] == "redis://127.0.0.1:6379/0"
    error_message = "the server starts once Redis is healthy and uses it on loopback (and stops before it)"
  }
  assert {
    condition     = output.deployment.task.containers.server.readonly_root_filesystem && output.deployment.task.containers.redis.readonly_root_filesystem && !output.deployment.service.enable_execute_command
    error_message = "read-only root file systems, no ECS Exec by default"
  }
  assert {
    condition     = keys(output.deployment.task.containers.server.secrets) == ["FP_RESUME_SECRET", "FP_SINKS_0_OPTIONS_TOKEN"]
    error_message = "the server gets the resume secret and the Notion token as secrets"
  }
  assert {
    condition     = alltrue([for name, arn in output.deployment.task.containers.server.secrets : startswith(arn, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:") && arn == output.deployment.secrets[name].arn])
    error_message = "every secret comes from this deployment's Secrets Manager secret of the same name"
  }
  assert {
    condition     = length(setintersection(keys(output.deployment.task.containers.server.environment), keys(output.deployment.secrets))) == 0
    error_message = "no secret in the plain environment"
  }
  assert {
    condition     = output.deployment.execution_role_reads_secrets == sort(distinct([for s in output.deployment.secrets : s.arn]))
    error_message = "the execution role may read exactly this deployment's secrets"
  }
  assert {
    condition     = output.deployment.task.containers.server.command == ["--config", "/opt/fire-poker/share/fire-poker/configs/aws.json"] && output.deployment.task.containers.server.environment["FP_SINKS_0_OPTIONS_DATABASEID"] == "0123456789abcdef0123456789abcdef"
    error_message = "configs/aws.json with the Notion database of step 2"
  }
  assert {
    condition     = output.deployment.alarms["redis-sidecar-memory"].metric_name == "container.memory.utilized" && output.deployment.alarms["redis-sidecar-memory"].threshold == 153 && output.deployment.alarms["redis-sidecar-memory"].dimensions["container.name"] == "redis"
    error_message = "an alarm when the sidecar's memory passes 80% of its 192 MiB maxmemory"
  }
  assert {
    condition     = output.deployment.task.containers["otel-collector"].environment["AOT_CONFIG_CONTENT"] == "metrics,metrics/redis_memory"
    error_message = "the collector exports the server's metrics and the sidecar's memory (the alarm's metric)"
  }
  assert {
    condition     = output.deployment.alarms["unavailable-errors"].metric_name == "fp_errors" && jsonencode(output.deployment.alarms["unavailable-errors"].dimensions) == jsonencode({ "service.name" = "fire-poker-prod", code = "unavailable" })
    error_message = "an alarm on unavailable errors"
  }
  assert {
    condition     = output.deployment.alarms["no-healthy-target"].threshold == 1 && !contains(keys(output.deployment.alarms), "redis-memory")
    error_message = "one healthy task is the minimum; no ElastiCache alarms"
  }
  assert {
    condition     = alltrue([for a in output.deployment.alarms : jsonencode(a.notifies) == jsonencode(["arn:aws:sns:eu-west-1:123456789012:fire-poker-prod-alarms"])])
    error_message = "every alarm notifies the alarm topic (the e-mails of step 2)"
  }
}

run "webhook_and_admin_api" {
  variables {
    webhook_url = "https://hooks.example.com/fire-poker"
    admin_api   = true
  }

  assert {
    condition     = output.secret_ids == { FP_ADMIN_TOKEN = "fire-poker-prod/admin-token", FP_RESUME_SECRET = "fire-poker-prod/resume-secret", FP_SINKS_0_OPTIONS_TOKEN = "fire-poker-prod/notion-token", FP_SINKS_1_OPTIONS_SECRET = "fire-poker-prod/webhook-secret" }
    error_message = "turning them on creates the admin token and the webhook signing secret"
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
    condition     = output.deployment.task.containers.server.command[1] == "/opt/fire-poker/share/fire-poker/configs/aws-webhook.json" && output.deployment.task.containers.server.environment["FP_SINKS_1_OPTIONS_URL"] == "https://hooks.example.com/fire-poker"
    error_message = "the webhook config, with the webhook's URL"
  }
  assert {
    condition     = output.deployment.service.desired_count == 1 && output.deployment.autoscaling == null
    error_message = "still one task"
  }
}

run "ecs_exec" {
  variables {
    webhook_url            = "https://hooks.example.com/fire-poker"
    admin_api              = true
    enable_execute_command = true
  }

  assert {
    condition     = output.deployment.service.enable_execute_command && contains(output.deployment.task_role_statements, "ExecuteCommand")
    error_message = "ECS Exec on the service, and the task role may open its channels"
  }
  assert {
    condition     = !output.deployment.task.containers.server.readonly_root_filesystem && !output.deployment.task.containers.redis.readonly_root_filesystem
    error_message = "the SSM agent of ECS Exec needs writable root file systems"
  }
}
