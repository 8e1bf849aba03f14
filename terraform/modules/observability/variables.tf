variable "names" {
  description = "Resource names from modules/naming (log groups, alarm_topic, service, metric_namespace)."
  type        = map(string)
}

variable "name_prefix" {
  description = "Prefix of alarm names (<project>-<environment>)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of the container and metrics log groups."
  type        = number
  default     = 30
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm the subscription)."
  type        = list(string)
  default     = []
}

variable "create_alarms" {
  description = "Create the alarms (false while the service does not exist yet: no-healthy-target and metrics-missing would only report that)."
  type        = bool
  default     = true
}

variable "alb_arn_suffix" {
  description = "arn_suffix of the load balancer."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "arn_suffix of the target group."
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
  description = "Fewer healthy targets than this is an outage."
  type        = number
  default     = 1
}

variable "redis_mode" {
  description = "\"sidecar\" or \"external\" (ElastiCache): which Redis alarms exist (known at plan)."
  type        = string
  default     = "sidecar"
}

variable "redis_sidecar_maxmemory_mib" {
  description = "The Redis sidecar's maxmemory in MiB (its memory alarm's reference)."
  type        = number
  default     = 192
}

variable "elasticache_replication_group_id" {
  description = "ElastiCache replication group to watch with redis_mode = \"external\"; may be unknown until apply."
  type        = string
  default     = ""
}

variable "thresholds" {
  description = "Alarm thresholds (see modules/alarm-specs and docs/operations.md); unset keys keep their defaults."
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
