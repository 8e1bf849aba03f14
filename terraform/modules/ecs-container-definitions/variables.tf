variable "runtime" {
  description = "The server's runtime contract: the outputs of modules/app-runtime (command, environment, health check, Redis sidecar command)."
  type = object({
    command                   = list(string)
    environment               = map(string)
    secret_environment_names  = list(string)
    port                      = number
    shutdown_timeout_seconds  = number
    healthcheck_command       = list(string)
    redis_sidecar             = bool
    redis_command             = list(string)
    redis_healthcheck_command = list(string)
  })
}

variable "image" {
  description = "The Fire Poker image (OCI), e.g. <account>.dkr.ecr.<region>.amazonaws.com/fire-poker:<git sha>."
  type        = string
}

variable "redis_image" {
  description = "Image of the Redis sidecar (used when runtime.redis_sidecar is true)."
  type        = string
  default     = "public.ecr.aws/docker/library/redis:7.2-bookworm"
}

variable "otel_collector_image" {
  description = "Image of the OpenTelemetry collector sidecar that forwards the server's OTLP metrics to CloudWatch (EMF); empty = no collector."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1"
}

variable "task_cpu" {
  description = "CPU units of the whole task (1024 = 1 vCPU); the containers must fit."
  type        = number
}

variable "task_memory_mib" {
  description = "Memory of the whole task in MiB; the containers' hard limits must fit."
  type        = number
}

variable "server_cpu" {
  description = "CPU units reserved for the server container."
  type        = number
  default     = 256
}

variable "server_memory_mib" {
  description = "Hard memory limit of the server container in MiB."
  type        = number
  default     = 512
}

variable "redis_cpu" {
  description = "CPU units reserved for the Redis sidecar."
  type        = number
  default     = 128
}

variable "redis_memory_mib" {
  description = "Hard memory limit of the Redis sidecar in MiB (Redis' maxmemory is 75% of it, see app-runtime)."
  type        = number
  default     = 256
}

variable "otel_cpu" {
  description = "CPU units reserved for the collector sidecar."
  type        = number
  default     = 64
}

variable "otel_memory_mib" {
  description = "Hard memory limit of the collector sidecar in MiB."
  type        = number
  default     = 128
}

variable "secrets" {
  description = "Secret environment variables: name -> ARN of a Secrets Manager secret or SSM parameter (ECS injects the value at start)."
  type        = map(string)
}

variable "aws_region" {
  description = "Region of the CloudWatch log groups (awslogs driver) and of the metrics."
  type        = string
}

variable "log_groups" {
  description = "CloudWatch log group names for the server, Redis and collector containers."
  type = object({
    server = string
    redis  = string
    otel   = string
  })
}

variable "emf_log_group" {
  description = "Log group the collector writes the metrics to (CloudWatch embedded metric format)."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the server's metrics (fp_connections, fp_outbox_oldest_age_seconds...)."
  type        = string
  default     = "FirePoker"
}

variable "log_stream_prefix" {
  description = "awslogs-stream-prefix: streams are named <prefix>/<container>/<task id>."
  type        = string
  default     = "ecs"
}

variable "readonly_root_filesystem" {
  description = "Run the server and Redis with a read-only root file system (Redis gets a task volume at /data)."
  type        = bool
  default     = true
}

variable "nofile_limit" {
  description = "Open-file limit (soft and hard) of the server: one descriptor per WebSocket connection."
  type        = number
  default     = 65536
}

variable "stop_timeout_seconds" {
  description = "Seconds between SIGTERM and SIGKILL for the server; null = the server's shutdown timeout (runtime.shutdown_timeout_seconds) + 5. Must exceed the shutdown timeout."
  type        = number
  default     = null

  validation {
    condition     = var.stop_timeout_seconds == null || (coalesce(var.stop_timeout_seconds, 2) >= 2 && coalesce(var.stop_timeout_seconds, 2) <= 120)
    error_message = "stop_timeout_seconds must be 2..120 (Fargate's maximum is 120)."
  }
}
