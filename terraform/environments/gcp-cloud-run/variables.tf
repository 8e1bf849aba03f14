variable "project_id" {
  description = "GCP project id."
  type        = string
}

variable "region" {
  description = "GCP region of the Cloud Run service (and Memorystore)."
  type        = string
  default     = "europe-west1"
}

variable "environment" {
  description = "Environment name, part of every resource name."
  type        = string
  default     = "prod"
}

variable "image" {
  description = "The same Fire Poker image as on AWS, from Artifact Registry (<region>-docker.pkg.dev/<project>/fire-poker/fire-poker:<tag>)."
  type        = string
}

variable "redis_mode" {
  description = "\"sidecar\": one Cloud Run instance with a Redis container (as the AWS single task). \"memorystore\": up to max_instances on Memorystore for Redis (as aws-scaled)."
  type        = string
  default     = "sidecar"

  validation {
    condition     = contains(["sidecar", "memorystore"], var.redis_mode)
    error_message = "redis_mode must be \"sidecar\" or \"memorystore\"."
  }
}

variable "redis_image" {
  description = "Image of the Redis sidecar."
  type        = string
  default     = "docker.io/library/redis:7.2-bookworm"
}

variable "max_instances" {
  description = "Most instances with Memorystore (the sidecar mode always runs exactly one)."
  type        = number
  default     = 4
}

variable "server_cpu" {
  description = "CPU limit of the server container."
  type        = string
  default     = "1"
}

variable "server_memory" {
  description = "Memory limit of the server container."
  type        = string
  default     = "512Mi"
}

variable "redis_cpu" {
  description = "CPU limit of the Redis sidecar."
  type        = string
  default     = "1"
}

variable "redis_memory_mib" {
  description = "Memory limit of the Redis sidecar in MiB (maxmemory is 75% of it)."
  type        = number
  default     = 256
}

variable "memorystore_size_gb" {
  description = "Memorystore capacity in GB."
  type        = number
  default     = 1
}

variable "otlp_endpoint" {
  description = "OTLP/HTTP collector for the metrics (e.g. a Google-built OpenTelemetry collector sidecar); empty = off, /metrics only."
  type        = string
  default     = ""
}

variable "notion_database_id" {
  description = "Notion database for the results (API 2022-06-28)."
  type        = string
  default     = ""
}

variable "notion_data_source_id" {
  description = "Notion data source for the results (API 2025-09-03)."
  type        = string
  default     = ""
}

variable "webhook_url" {
  description = "Webhook the results are also POSTed to; empty = none."
  type        = string
  default     = ""
}

variable "allow_unauthenticated" {
  description = "Let anyone on the internet reach the service (a public planning poker)."
  type        = bool
  default     = true
}

variable "admin_api" {
  description = "Enable the operator routes /api/admin/outbox/... with a bearer token from Secret Manager (FP_ADMIN_TOKEN)."
  type        = bool
  default     = true
}
