variable "config_path" {
  description = "Path of the server's config file inside the image (the ECS/Cloud Run config is the image's configs/aws.json)."
  type        = string
  default     = "/opt/fire-poker/share/fire-poker/configs/aws.json"
}

variable "port" {
  description = "Port the server listens on inside the container (configs/aws.json: 0.0.0.0:8080)."
  type        = number
  default     = 8080

  validation {
    condition     = var.port >= 1 && var.port <= 65535
    error_message = "port must be 1..65535."
  }
}

variable "redis_mode" {
  description = "Where Redis runs: \"sidecar\" (a Redis container in the same task or Cloud Run instance, on 127.0.0.1) or \"external\" (ElastiCache, Memorystore: redis_url)."
  type        = string
  default     = "sidecar"

  validation {
    condition     = contains(["sidecar", "external"], var.redis_mode)
    error_message = "redis_mode must be \"sidecar\" or \"external\"."
  }
}

variable "redis_url" {
  description = "Redis URL for redis_mode = \"external\" (redis://host:6379/0); ignored for the sidecar, which is always redis://127.0.0.1:6379/0."
  type        = string
  default     = ""

  validation {
    condition     = var.redis_url == "" || can(regex("^rediss?://[^/]+(/[0-9]+)?$", var.redis_url))
    error_message = "redis_url must look like redis://host:6379/0 (or rediss:// for TLS)."
  }
  validation {
    condition     = !can(regex("^rediss?://[^/@]*:[^/@]*@", var.redis_url))
    error_message = "redis_url must not carry a password (it would sit in the task definition and the state): give the password as a secret (FP_STORAGE_OPTIONS_PASSWORD, FP_BUS_OPTIONS_PASSWORD); an ACL user name may stay in the url (rediss://user@host:6380/0)."
  }
}

variable "redis_memory_mib" {
  description = "Memory limit of the Redis sidecar container in MiB; Redis' maxmemory is set to 75% of it, leaving room for fragmentation and client buffers."
  type        = number
  default     = 256

  validation {
    condition     = var.redis_memory_mib >= 64
    error_message = "redis_memory_mib must be at least 64."
  }
}

variable "redis_maxmemory_policy" {
  description = "Redis maxmemory-policy of the sidecar. noeviction (default): a full Redis refuses writes, so the server answers `unavailable` instead of silently losing rooms or undelivered results."
  type        = string
  default     = "noeviction"

  validation {
    condition     = contains(["noeviction", "volatile-lru", "volatile-lfu", "volatile-ttl", "allkeys-lru", "allkeys-lfu"], var.redis_maxmemory_policy)
    error_message = "redis_maxmemory_policy must be a Redis maxmemory-policy."
  }
}

variable "shutdown_timeout_seconds" {
  description = "The server's server.shutdownTimeoutSeconds (FP_SERVER_SHUTDOWNTIMEOUTSECONDS): after SIGTERM it closes every WebSocket with 1001 and delivers what the outbox can for at most this long. The container's stop timeout is sized from it."
  type        = number
  default     = 10

  validation {
    condition     = var.shutdown_timeout_seconds >= 1 && var.shutdown_timeout_seconds <= 600
    error_message = "shutdown_timeout_seconds must be 1..600 (the server's own limits)."
  }
}

variable "websocket_ping_interval_seconds" {
  description = "transport-websocket's pingIntervalSeconds (FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS): a quiet WebSocket still carries a ping this often, so load balancer idle timeouts are sized from it."
  type        = number
  default     = 30

  validation {
    condition     = var.websocket_ping_interval_seconds >= 1 && var.websocket_ping_interval_seconds <= 3600
    error_message = "websocket_ping_interval_seconds must be 1..3600 (the plugin's own limits)."
  }
}

variable "log_level" {
  description = "Server log level (trace, debug, info, warn, error); logs are JSON lines whose \"level\" field says trace, debug, info, warning, error or critical."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be trace, debug, info, warn or error."
  }
}

variable "otlp_endpoint" {
  description = "OTLP/HTTP JSON metrics endpoint the server exports to (a collector sidecar); empty disables the export."
  type        = string
  default     = "http://127.0.0.1:4318/v1/metrics"

  validation {
    condition     = var.otlp_endpoint == "" || startswith(var.otlp_endpoint, "http://")
    error_message = "otlp_endpoint must be an http:// URL (a local collector) or empty."
  }
}

variable "otlp_interval_seconds" {
  description = "How often the server exports its metrics over OTLP."
  type        = number
  default     = 60
}

variable "service_name" {
  description = "service.name of the exported metrics; also the CloudWatch dimension alarms and autoscaling use."
  type        = string
}

variable "extra_environment" {
  description = "More FP_* environment variables (non-secret config overrides, e.g. FP_SINKS_0_OPTIONS_DATABASEID)."
  type        = map(string)
  default     = {}
}

variable "secret_environment_names" {
  description = "Names of the environment variables that carry secrets (their values come from the platform's secret store, never from here)."
  type        = list(string)
  default     = ["FP_RESUME_SECRET"]

  validation {
    condition     = contains(var.secret_environment_names, "FP_RESUME_SECRET")
    error_message = "FP_RESUME_SECRET must be among the secrets: seats do not survive a restart without it."
  }
}
