variable "aws_region" {
  description = "AWS region of the deployment."
  type        = string
}

variable "project" {
  description = "Project name, first part of resource names."
  type        = string
  default     = "fire-poker"
}

variable "environment" {
  description = "Environment name (prod, staging...), second part of resource names."
  type        = string
}

variable "extra_tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "redis_mode" {
  description = "\"sidecar\": one task with a Redis container (the ADR's decision). \"external\": N tasks on ElastiCache (the scale-out roadmap)."
  type        = string

  validation {
    condition     = contains(["sidecar", "external"], var.redis_mode)
    error_message = "redis_mode must be \"sidecar\" or \"external\"."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones used (2 or 3)."
  type        = number
  default     = 2
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per AZ instead of one shared."
  type        = bool
  default     = false
}

variable "certificate_arn" {
  description = "ACM certificate ARN (same region) for the HTTPS listener, covering domain_name."
  type        = string
}

variable "domain_name" {
  description = "Public host name of the service (e.g. poker.example.com); empty = use the ALB's DNS name."
  type        = string
  default     = ""
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone for an alias record domain_name -> ALB; empty = manage DNS yourself."
  type        = string
  default     = ""
}

variable "image" {
  description = "Image for the first deployment (<ecr url>:<tag>); empty = not pushed yet: everything but the task definition, the service and the alarms is created. Later deployments come from deploy.yml; do not empty it again (that removes the service)."
  type        = string
  default     = ""

  validation {
    condition     = var.image == "" || can(regex("^[^ ]+[:@][^ /]+$", var.image))
    error_message = "image must be <registry>/<repository>:<tag> or ...@sha256:<digest> (or empty before the first push)."
  }
}

variable "redis_image" {
  description = "Image of the Redis sidecar."
  type        = string
  default     = "public.ecr.aws/docker/library/redis:7.2-bookworm"
}

variable "otel_collector_image" {
  description = "Image of the OpenTelemetry collector sidecar; empty = no OTLP export to CloudWatch (no connection metric, no autoscaling on it)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1"
}

variable "task_cpu" {
  description = "Fargate task CPU units."
  type        = number
  default     = 512
}

variable "task_memory_mib" {
  description = "Fargate task memory in MiB."
  type        = number
  default     = 1024
}

variable "container_resources" {
  description = "CPU units and memory limits (MiB) per container; see modules/ecs-service."
  type = object({
    server_cpu        = optional(number, 256)
    server_memory_mib = optional(number, 512)
    redis_cpu         = optional(number, 128)
    redis_memory_mib  = optional(number, 256)
    otel_cpu          = optional(number, 64)
    otel_memory_mib   = optional(number, 128)
  })
  default = {}
}

variable "desired_count" {
  description = "Tasks without autoscaling (1 with the Redis sidecar)."
  type        = number
  default     = 1
}

variable "autoscaling" {
  description = "Autoscaling on connections per task (external Redis only); see modules/ecs-service."
  type = object({
    enabled              = optional(bool, false)
    min_tasks            = optional(number, 2)
    max_tasks            = optional(number, 6)
    connections_per_task = optional(number, 2000)
    cpu_percent          = optional(number, 70)
  })
  default = {}
}

variable "elasticache" {
  description = "ElastiCache settings for redis_mode = \"external\"; transit_encryption (default on) makes the cache TLS-only and the server's URL rediss://."
  type = object({
    node_type          = optional(string, "cache.t4g.small")
    engine_version     = optional(string, "7.1")
    replicas           = optional(number, 1)
    transit_encryption = optional(bool, true)
  })
  default = {}
}

variable "shutdown_timeout_seconds" {
  description = "The server's graceful shutdown after SIGTERM (server.shutdownTimeoutSeconds): close every WebSocket with 1001, deliver what the outbox can. The server container's stop timeout is this + 5 s."
  type        = number
  default     = 10
}

variable "websocket_ping_interval_seconds" {
  description = "The server's WebSocket ping interval (transport-websocket pingIntervalSeconds); the ALB idle timeout (120 s) must stay at least twice it."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "Server log level."
  type        = string
  default     = "info"
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention."
  type        = number
  default     = 30
}

variable "alarm_emails" {
  description = "E-mail addresses notified by the alarms."
  type        = list(string)
  default     = []
}

variable "alarm_thresholds" {
  description = "Alarm thresholds overriding the defaults of modules/alarm-specs."
  type = object({
    alb_5xx_per_5min            = optional(number, 10)
    target_5xx_per_5min         = optional(number, 10)
    target_p99_response_seconds = optional(number, 2)
    outbox_oldest_age_seconds   = optional(number, 900)
    outbox_failed               = optional(number, 0)
    connections_per_task        = optional(number, 4000)
    cpu_percent                 = optional(number, 80)
    memory_percent              = optional(number, 85)
    redis_memory_percent        = optional(number, 80)
    redis_cpu_percent           = optional(number, 80)
    unavailable_errors_per_5min = optional(number, 10)
  })
  default = {}
}

variable "notion_database_id" {
  description = "Notion database the results go to (API 2022-06-28); or notion_data_source_id."
  type        = string
  default     = ""
}

variable "notion_data_source_id" {
  description = "Notion data source the results go to (API 2025-09-03); or notion_database_id."
  type        = string
  default     = ""
}

variable "webhook_url" {
  description = "URL the sink-webhook POSTs each result to; empty = no webhook sink (configs/aws.json instead of aws-webhook.json)."
  type        = string
  default     = ""
}

variable "expose_metrics" {
  description = "Let /metrics through the public ALB."
  type        = bool
  default     = false
}

variable "alb_deletion_protection" {
  description = "Protect the ALB from deletion."
  type        = bool
  default     = true
}

variable "enable_execute_command" {
  description = "Allow ECS Exec into the containers (their root file systems are then writable: the SSM agent needs that)."
  type        = bool
  default     = false
}

variable "ecr_repository_name" {
  description = "ECR repository of the image."
  type        = string
  default     = "fire-poker"
}

variable "create_ecr_repository" {
  description = "Create the ECR repository in this environment."
  type        = bool
  default     = true
}

variable "github_repository" {
  description = "GitHub owner/name allowed to deploy through OIDC; empty = no deploy role."
  type        = string
  default     = ""
}

variable "github_environment" {
  description = "GitHub environment of the deploy job."
  type        = string
  default     = "production"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider."
  type        = bool
  default     = true
}

variable "admin_api" {
  description = "Enable the operator routes /api/admin/outbox/... (list and requeue failed results) with a bearer token from Secrets Manager (FP_ADMIN_TOKEN)."
  type        = bool
  default     = false
}
