run "sidecar_defaults" {
  command = plan

  variables {
    service_name = "fire-poker-prod"
  }

  assert {
    condition     = output.command == ["--config", "/opt/fire-poker/share/fire-poker/configs/aws.json"]
    error_message = "the server starts with the image's aws.json"
  }
  assert {
    condition     = output.environment["FP_STORAGE_OPTIONS_URL"] == "redis://127.0.0.1:6379/0" && output.environment["FP_BUS_OPTIONS_URL"] == "redis://127.0.0.1:6379/0"
    error_message = "storage and bus use the sidecar on loopback"
  }
  assert {
    condition     = output.environment["FP_LOG_FORMAT"] == "json"
    error_message = "logs are JSON lines in a container"
  }
  assert {
    condition     = output.environment["FP_TELEMETRY_SERVICENAME"] == "fire-poker-prod"
    error_message = "metrics carry the service name"
  }
  assert {
    condition     = output.redis_maxmemory_mib == 192
    error_message = "maxmemory is 75% of the 256 MiB container"
  }
  assert {
    condition = join(" ", output.redis_command) == join(" ", [
      "redis-server", "--save", "", "--appendonly", "no", "--maxmemory", "192mb",
    "--maxmemory-policy", "noeviction", "--bind", "127.0.0.1", "--port", "6379"])
    error_message = "Redis runs without persistence, capped, loopback only"
  }
  assert {
    condition     = output.healthcheck_command == ["CMD", "fire-poker", "--healthcheck", "http://127.0.0.1:8080/healthz"]
    error_message = "the container health check is fire-poker --healthcheck"
  }
  assert {
    condition     = contains(output.secret_environment_names, "FP_RESUME_SECRET")
    error_message = "the resume secret comes from the secret store"
  }
  assert {
    condition     = output.environment["FP_SERVER_SHUTDOWNTIMEOUTSECONDS"] == "10" && output.shutdown_timeout_seconds == 10
    error_message = "the server gets the shutdown timeout the platform is sized from"
  }
  assert {
    condition     = output.environment["FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS"] == "30" && output.websocket_ping_interval_seconds == 30
    error_message = "the server gets the ping interval the load balancer is sized from"
  }
}

run "external_redis" {
  command = plan

  variables {
    service_name      = "fire-poker-prod"
    redis_mode        = "external"
    redis_url         = "redis://master.fp.abc123.euw1.cache.amazonaws.com:6379/0"
    otlp_endpoint     = ""
    extra_environment = { FP_LOG_LEVEL = "debug" }
  }

  assert {
    condition     = output.redis_sidecar == false
    error_message = "no sidecar with external Redis"
  }
  assert {
    condition     = output.environment["FP_STORAGE_OPTIONS_URL"] == "redis://master.fp.abc123.euw1.cache.amazonaws.com:6379/0"
    error_message = "the server uses the external Redis"
  }
  assert {
    condition     = output.environment["FP_LOG_LEVEL"] == "debug"
    error_message = "extra environment wins over the defaults"
  }
  assert {
    condition     = output.environment["FP_TELEMETRY_OTLPENDPOINT"] == ""
    error_message = "an empty endpoint disables the OTLP export"
  }
}

run "bad_values_are_refused" {
  command = plan

  variables {
    service_name  = "x"
    redis_mode    = "cluster"
    redis_url     = "http://redis"
    otlp_endpoint = "https://collector:4318"
  }

  expect_failures = [var.redis_mode, var.redis_url, var.otlp_endpoint]
}

run "external_without_url_is_flagged" {
  command = plan

  variables {
    service_name = "x"
    redis_mode   = "external"
  }

  expect_failures = [check.external_redis_has_url]
}

run "resume_secret_is_required" {
  command = plan

  variables {
    service_name             = "x"
    secret_environment_names = ["FP_SINKS_0_OPTIONS_TOKEN"]
  }

  expect_failures = [var.secret_environment_names]
}

run "tls_with_an_acl_user" {
  command = plan

  variables {
    service_name                    = "fire-poker-prod"
    redis_mode                      = "external"
    redis_url                       = "rediss://fire-poker@fp-cache.redis.cache.windows.net:6380/0"
    secret_environment_names        = ["FP_RESUME_SECRET", "FP_STORAGE_OPTIONS_PASSWORD", "FP_BUS_OPTIONS_PASSWORD"]
    shutdown_timeout_seconds        = 20
    websocket_ping_interval_seconds = 15
  }

  assert {
    condition     = output.environment["FP_STORAGE_OPTIONS_URL"] == "rediss://fire-poker@fp-cache.redis.cache.windows.net:6380/0" && output.environment["FP_BUS_OPTIONS_URL"] == output.environment["FP_STORAGE_OPTIONS_URL"]
    error_message = "rediss:// with an ACL user name reaches storage and bus unchanged"
  }
  assert {
    condition     = !contains(keys(output.environment), "FP_STORAGE_OPTIONS_PASSWORD") && contains(output.secret_environment_names, "FP_STORAGE_OPTIONS_PASSWORD")
    error_message = "the Redis password is a secret, never plain environment"
  }
  assert {
    condition     = output.environment["FP_SERVER_SHUTDOWNTIMEOUTSECONDS"] == "20" && output.environment["FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS"] == "15"
    error_message = "shutdown timeout and ping interval follow the variables"
  }
}

run "password_in_the_url_is_refused" {
  command = plan

  variables {
    service_name = "x"
    redis_mode   = "external"
    redis_url    = "rediss://default:hunter2@fp-cache.redis.cache.windows.net:6380/0"
  }

  expect_failures = [var.redis_url]
}

run "timeouts_out_of_range_are_refused" {
  command = plan

  variables {
    service_name                    = "x"
    shutdown_timeout_seconds        = 0
    websocket_ping_interval_seconds = 7200
  }

  expect_failures = [var.shutdown_timeout_seconds, var.websocket_ping_interval_seconds]
}
