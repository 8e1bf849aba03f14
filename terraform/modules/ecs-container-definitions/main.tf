# The ECS container definitions of one Fire Poker task: the server, its Redis sidecar (when
# Redis is not external) and an optional OpenTelemetry collector sidecar. No provider: the
# JSON is tested with `terraform test`, and modules/ecs-service registers it.
locals {
  redis_volume = "redis-data"

  # SIGTERM -> the server closes its WebSockets, drains the outbox for at most its shutdown
  # timeout, stops its plugins and exits; SIGKILL only comes after that, with 5 s to spare.
  stop_timeout = coalesce(var.stop_timeout_seconds, var.runtime.shutdown_timeout_seconds + 5)
  service_name = lookup(var.runtime.environment, "FP_TELEMETRY_SERVICENAME", "fire-poker")

  awslogs = {
    for name, group in var.log_groups : name => {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = group
        "awslogs-region"        = var.aws_region
        "awslogs-stream-prefix" = var.log_stream_prefix
      }
    }
  }

  server = {
    name      = "server"
    image     = var.image
    essential = true
    cpu       = var.server_cpu
    memory    = var.server_memory_mib
    command   = var.runtime.command
    portMappings = [{
      name          = "http"
      containerPort = var.runtime.port
      protocol      = "tcp"
      appProtocol   = "http"
    }]
    environment = [for name, value in var.runtime.environment : { name = name, value = value }]
    secrets     = [for name, arn in var.secrets : { name = name, valueFrom = arn }]
    healthCheck = {
      command     = var.runtime.healthcheck_command
      interval    = 10
      timeout     = 5
      retries     = 3
      startPeriod = 15
    }
    dependsOn              = var.runtime.redis_sidecar ? [{ containerName = "redis", condition = "HEALTHY" }] : []
    readonlyRootFilesystem = var.readonly_root_filesystem
    stopTimeout            = local.stop_timeout
    ulimits                = [{ name = "nofile", softLimit = var.nofile_limit, hardLimit = var.nofile_limit }]
    linuxParameters        = { initProcessEnabled = true }
    logConfiguration       = local.awslogs.server
    mountPoints            = []
    volumesFrom            = []
  }

  redis = {
    name                   = "redis"
    image                  = var.redis_image
    essential              = true
    cpu                    = var.redis_cpu
    memory                 = var.redis_memory_mib
    command                = var.runtime.redis_command
    portMappings           = []
    environment            = []
    secrets                = []
    healthCheck            = { command = var.runtime.redis_healthcheck_command, interval = 5, timeout = 3, retries = 10, startPeriod = 5 }
    dependsOn              = []
    readonlyRootFilesystem = var.readonly_root_filesystem
    stopTimeout            = 10
    ulimits                = []
    linuxParameters        = { initProcessEnabled = true }
    logConfiguration       = local.awslogs.redis
    # The official image's entrypoint changes the owner of /data: give it a task volume so
    # the root file system can stay read-only. Nothing is persisted there (--save "").
    mountPoints = [{ sourceVolume = local.redis_volume, containerPath = "/data", readOnly = false }]
    volumesFrom = []
  }

  # The server's OTLP metrics go to CloudWatch as EMF, dimension service.name. Two more metric
  # sets feed alarms (modules/alarm-specs): fp_errors by code (the server's fp_errors_total,
  # named without _total in OTLP), and, with a Redis sidecar, the sidecar's memory from the
  # task metadata endpoint (Redis' own maxmemory is 75% of its container limit).
  otel_declarations = concat(
    [
      { dimensions = [["service.name"]], metric_name_selectors = ["^fp_.*"] },
      { dimensions = [["service.name", "code"]], metric_name_selectors = ["^fp_errors$"] },
    ],
    var.runtime.redis_sidecar ? [{
      dimensions            = [["service.name", "container.name"]]
      metric_name_selectors = ["^container\\.memory\\.utilized$"]
      label_matchers        = [{ label_names = ["container.name"], regex = "^redis$" }]
    }] : [],
  )

  # With a Redis sidecar: its memory, from the task metadata endpoint, tagged with the
  # server's service.name. Filtered with for-expressions so both shapes have one type.
  otel_redis_memory = {
    receivers = { awsecscontainermetrics = { collection_interval = "60s" } }
    processors = {
      "filter/redis_memory"   = { metrics = { include = { match_type = "strict", metric_names = ["container.memory.utilized"] } } }
      "resource/redis_memory" = { attributes = [{ key = "service.name", value = local.service_name, action = "upsert" }] }
    }
    pipelines = {
      "metrics/redis_memory" = {
        receivers  = ["awsecscontainermetrics"]
        processors = ["filter/redis_memory", "resource/redis_memory", "batch"]
        exporters  = ["awsemf"]
      }
    }
  }
  otel_extra = { for part, components in local.otel_redis_memory : part => { for name, c in components : name => c if var.runtime.redis_sidecar } }

  otel_config = yamlencode({
    extensions = { health_check = {} }
    receivers  = merge({ otlp = { protocols = { http = { endpoint = "127.0.0.1:4318" } } } }, local.otel_extra.receivers)
    processors = merge({ batch = { timeout = "30s" } }, local.otel_extra.processors)
    exporters = {
      awsemf = {
        namespace                        = var.metric_namespace
        log_group_name                   = var.emf_log_group
        region                           = var.aws_region
        dimension_rollup_option          = "NoDimensionRollup"
        resource_to_telemetry_conversion = { enabled = true }
        metric_declarations              = local.otel_declarations
      }
    }
    service = {
      extensions = ["health_check"]
      pipelines  = merge({ metrics = { receivers = ["otlp"], processors = ["batch"], exporters = ["awsemf"] } }, local.otel_extra.pipelines)
    }
  })

  otel = {
    name         = "otel-collector"
    image        = var.otel_collector_image
    essential    = false # metrics are not worth a task restart
    cpu          = var.otel_cpu
    memory       = var.otel_memory_mib
    portMappings = []
    # The ADOT image reads its configuration from AOT_CONFIG_CONTENT when it is set.
    environment = [{ name = "AOT_CONFIG_CONTENT", value = local.otel_config }]
    secrets     = []
    healthCheck = { command = ["/healthcheck"], interval = 15, timeout = 5, retries = 3, startPeriod = 10 }
    dependsOn   = []
    # The collector writes temporary files; it keeps a writable root file system.
    readonlyRootFilesystem = false
    stopTimeout            = 10
    ulimits                = []
    linuxParameters        = { initProcessEnabled = true }
    logConfiguration       = local.awslogs.otel
    mountPoints            = []
    volumesFrom            = []
  }

  definitions = concat(
    [local.server],
    var.runtime.redis_sidecar ? [local.redis] : [],
    var.otel_collector_image != "" ? [local.otel] : [],
  )

  cpu_total    = sum([for c in local.definitions : c.cpu])
  memory_total = sum([for c in local.definitions : c.memory])

  missing_secrets = setsubtract(var.runtime.secret_environment_names, keys(var.secrets))
}
