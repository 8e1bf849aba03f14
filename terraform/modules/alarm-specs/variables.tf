variable "name_prefix" {
  description = "Prefix of every alarm name (<project>-<environment>)."
  type        = string
}

variable "service_name" {
  description = "The server's service.name: the CloudWatch dimension of its own metrics (fp_connections, fp_outbox_*)."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the server's metrics."
  type        = string
  default     = "FirePoker"
}

variable "alb_arn_suffix" {
  description = "arn_suffix of the load balancer (the LoadBalancer dimension)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "arn_suffix of the target group (the TargetGroup dimension)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name."
  type        = string
}

variable "ecs_service_name" {
  description = "ECS service name."
  type        = string
}

variable "min_healthy_tasks" {
  description = "Fewer healthy targets than this for a minute is an outage (1 for the single task)."
  type        = number
  default     = 1
}

variable "redis_mode" {
  description = "\"sidecar\": watch the Redis sidecar's memory against its maxmemory. \"external\": watch ElastiCache (elasticache_replication_group_id). Chooses which alarms exist, so it must be known when Terraform plans."
  type        = string
  default     = "sidecar"

  validation {
    condition     = contains(["sidecar", "external"], var.redis_mode)
    error_message = "redis_mode must be \"sidecar\" or \"external\"."
  }
}

variable "redis_sidecar_maxmemory_mib" {
  description = "The sidecar's Redis maxmemory in MiB (modules/app-runtime redis_maxmemory_mib); its alarm fires at redis_memory_percent of it."
  type        = number
  default     = 192
}

variable "elasticache_replication_group_id" {
  description = "ElastiCache replication group to watch with redis_mode = \"external\" (a value of the alarms' dimensions only; may be unknown until apply)."
  type        = string
  default     = ""
}

variable "thresholds" {
  description = "Alarm thresholds; see docs/operations.md for why each value."
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
