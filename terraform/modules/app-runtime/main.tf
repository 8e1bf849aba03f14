# The server's runtime contract, the same on every platform: how the container is started,
# which environment it gets, how its health is checked, and how the Redis sidecar is run.
# No provider: the ECS task definition (ecs-container-definitions) and the Cloud Run service
# (environments/gcp-cloud-run) are both rendered from these outputs, so the same image and the
# same plugins serve unchanged everywhere.
locals {
  sidecar   = var.redis_mode == "sidecar"
  redis_url = local.sidecar ? "redis://127.0.0.1:6379/0" : var.redis_url

  # 75% of the container's memory for data; the rest for Redis' own overhead.
  redis_maxmemory_mib = floor(var.redis_memory_mib * 0.75)

  environment = merge(
    {
      FP_LOG_FORMAT                      = "json"
      FP_LOG_LEVEL                       = var.log_level
      FP_SERVER_LISTEN                   = "0.0.0.0:${var.port}"
      FP_STORAGE_OPTIONS_URL             = local.redis_url
      FP_BUS_OPTIONS_URL                 = local.redis_url
      FP_TELEMETRY_OTLPENDPOINT          = var.otlp_endpoint
      FP_TELEMETRY_EXPORTINTERVALSECONDS = tostring(var.otlp_interval_seconds)
      FP_TELEMETRY_SERVICENAME           = var.service_name
      # Set here, not only in the config file, so the platform around the server (load
      # balancer idle timeout, container stop timeout) is sized from the same numbers.
      FP_SERVER_SHUTDOWNTIMEOUTSECONDS         = tostring(var.shutdown_timeout_seconds)
      FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS = tostring(var.websocket_ping_interval_seconds)
    },
    var.extra_environment,
  )

  healthcheck_url = "http://127.0.0.1:${var.port}/healthz"
}

check "external_redis_has_url" {
  assert {
    condition     = local.sidecar || var.redis_url != ""
    error_message = "redis_mode = \"external\" needs redis_url."
  }
}
