# The runtime comes from the real app-runtime module, as in the environments.
run "runtime_sidecar" {
  command = plan

  module {
    source = "../app-runtime"
  }

  variables {
    service_name = "fire-poker-prod"
  }
}

run "runtime_external" {
  command = plan

  module {
    source = "../app-runtime"
  }

  variables {
    service_name  = "fire-poker-prod"
    redis_mode    = "external"
    redis_url     = "redis://redis.internal:6379/0"
    otlp_endpoint = ""
  }
}

variables {
  image           = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fire-poker:abc123"
  task_cpu        = 512
  task_memory_mib = 1024
  aws_region      = "eu-west-1"
  secrets         = { FP_RESUME_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fp/resume-AbCdEf" }
  log_groups      = { server = "/ecs/fp/server", redis = "/ecs/fp/redis", otel = "/ecs/fp/otel" }
  emf_log_group   = "/ecs/fp/metrics"
}

run "single_task_with_redis_sidecar" {
  command = plan

  variables {
    runtime = run.runtime_sidecar
  }

  assert {
    condition     = join(",", output.container_names) == "server,redis,otel-collector"
    error_message = "server, Redis sidecar and collector"
  }
  assert {
    condition     = jsonencode(output.definitions[0].dependsOn) == jsonencode([{ containerName = "redis", condition = "HEALTHY" }])
    error_message = "the server starts once Redis is healthy"
  }
  assert {
    condition     = join(" ", output.definitions[0].healthCheck.command) == "CMD fire-poker --healthcheck http://127.0.0.1:8080/healthz"
    error_message = "the server's container health check"
  }
  assert {
    condition     = output.definitions[1].healthCheck.command[0] == "CMD-SHELL" && strcontains(output.definitions[1].healthCheck.command[1], "ping")
    error_message = "Redis is checked with redis-cli ping"
  }
  assert {
    condition     = contains(output.definitions[1].command, "--save") && contains(output.definitions[1].command, "--maxmemory-policy")
    error_message = "Redis without persistence, with a memory policy"
  }
  assert {
    condition     = output.definitions[0].readonlyRootFilesystem && output.definitions[1].readonlyRootFilesystem
    error_message = "server and Redis run on a read-only root file system"
  }
  assert {
    condition     = output.definitions[1].mountPoints[0].containerPath == "/data" && output.redis_volume_name == "redis-data"
    error_message = "Redis gets a scratch volume at /data"
  }
  assert {
    condition     = output.definitions[0].logConfiguration.logDriver == "awslogs" && output.definitions[0].logConfiguration.options["awslogs-group"] == "/ecs/fp/server"
    error_message = "awslogs to the server's log group"
  }
  assert {
    condition     = jsonencode(output.definitions[0].secrets) == jsonencode([{ name = "FP_RESUME_SECRET", valueFrom = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fp/resume-AbCdEf" }])
    error_message = "secrets come from Secrets Manager by ARN"
  }
  assert {
    condition     = length([for e in output.definitions[0].environment : e if e.name == "FP_RESUME_SECRET"]) == 0
    error_message = "no secret in the plain environment"
  }
  assert {
    condition     = output.definitions[0].portMappings[0].containerPort == 8080
    error_message = "the server listens on 8080"
  }
  assert {
    condition     = output.memory_mib_total == 896 && output.cpu_total == 448
    error_message = "memory and CPU sums"
  }
  assert {
    condition     = strcontains(output.definitions[2].environment[0].value, "awsemf") && strcontains(output.definitions[2].environment[0].value, "FirePoker")
    error_message = "the collector exports to CloudWatch EMF in the FirePoker namespace"
  }
  assert {
    condition     = can(jsondecode(output.json)[0].name)
    error_message = "the JSON for the task definition decodes"
  }
  assert {
    condition     = output.definitions[0].stopTimeout == 15 && output.stop_timeout_seconds == 15
    error_message = "ECS waits the server's shutdown timeout (10 s) + 5 s before SIGKILL"
  }
  assert {
    condition     = contains(yamldecode(output.definitions[2].environment[0].value).exporters.awsemf.metric_declarations, { dimensions = [["service.name", "code"]], metric_name_selectors = ["^fp_errors$"] })
    error_message = "fp_errors reaches CloudWatch by code (the unavailable-errors alarm)"
  }
  assert {
    condition     = yamldecode(output.definitions[2].environment[0].value).service.pipelines["metrics/redis_memory"].receivers == ["awsecscontainermetrics"]
    error_message = "the collector reads the Redis sidecar's memory from the task metadata endpoint"
  }
  assert {
    condition = anytrue([for d in yamldecode(output.definitions[2].environment[0].value).exporters.awsemf.metric_declarations :
    contains(d.metric_name_selectors, "^container\\.memory\\.utilized$") && d.dimensions == [["service.name", "container.name"]] && try(d.label_matchers[0].regex, "") == "^redis$"])
    error_message = "only the redis container's memory is exported, by service and container name"
  }
  assert {
    condition     = yamldecode(output.definitions[2].environment[0].value).processors["resource/redis_memory"].attributes[0].value == "fire-poker-prod"
    error_message = "the Redis memory metric carries the server's service.name (the alarm's dimension)"
  }
}

run "scaled_task_without_sidecar_or_collector" {
  command = plan

  variables {
    runtime              = run.runtime_external
    otel_collector_image = ""
    task_cpu             = 256
    task_memory_mib      = 512
  }

  assert {
    condition     = join(",", output.container_names) == "server"
    error_message = "only the server when Redis is external and no collector"
  }
  assert {
    condition     = length(output.definitions[0].dependsOn) == 0
    error_message = "nothing to wait for"
  }
  assert {
    condition     = output.redis_volume_name == null
    error_message = "no Redis volume"
  }
}

run "external_redis_collector_has_no_sidecar_metrics" {
  command = plan

  variables {
    runtime = run.runtime_external
  }

  assert {
    condition     = keys(yamldecode(output.definitions[1].environment[0].value).service.pipelines) == ["metrics"]
    error_message = "no Redis container to watch: only the server's metrics"
  }
}

run "stop_timeout_must_exceed_the_shutdown_timeout" {
  command = plan

  variables {
    runtime              = run.runtime_sidecar
    stop_timeout_seconds = 10
  }

  expect_failures = [output.definitions]
}

run "containers_must_fit_the_task" {
  command = plan

  variables {
    runtime         = run.runtime_sidecar
    task_memory_mib = 512
  }

  expect_failures = [output.definitions]
}

run "every_secret_needs_an_arn" {
  command = plan

  variables {
    runtime = run.runtime_sidecar
    secrets = {}
  }

  expect_failures = [output.definitions]
}
