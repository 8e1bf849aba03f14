variable "names" {
  description = "Resource names from modules/naming (cluster, service, task_family, execution_role, task_role, log groups, metric_namespace)."
  type        = map(string)
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "aws_region" {
  description = "Region of the deployment (awslogs, metrics)."
  type        = string
}

variable "runtime" {
  description = "Outputs of modules/app-runtime: command, environment, secrets, health check, Redis sidecar."
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
  description = "Fire Poker image for the first deployment; empty = no task definition and no service yet (its image is not in ECR yet). Later deployments come from .github/workflows/deploy.yml (the service ignores the task definition revisions Terraform registers)."
  type        = string
}

variable "redis_image" {
  description = "Image of the Redis sidecar."
  type        = string
  default     = "public.ecr.aws/docker/library/redis:7.2-bookworm"
}

variable "otel_collector_image" {
  description = "Image of the OpenTelemetry collector sidecar (OTLP -> CloudWatch EMF); empty = none (then no connection metric for autoscaling and alarms)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1"
}

variable "task_cpu" {
  description = "Fargate task CPU units (256, 512, 1024, 2048, 4096)."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "task_memory_mib" {
  description = "Fargate task memory in MiB (a valid combination with task_cpu)."
  type        = number
  default     = 1024
}

variable "container_resources" {
  description = "CPU units and hard memory limits (MiB) of the server, Redis and collector containers."
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

variable "secrets" {
  description = "Secret environment variables: name -> Secrets Manager secret ARN (ECS injects the value when the task starts). Must cover runtime.secret_environment_names; the execution role may read exactly these."
  type        = map(string)

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:[^:]+:secretsmanager:[^:]*:[0-9]*:secret:.+", arn))])
    error_message = "Every secret must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)."
  }
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks."
  type        = list(string)
}

variable "task_security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "target_group_arn" {
  description = "Target group the service registers the server container in."
  type        = string
}

variable "desired_count" {
  description = "Tasks at creation (with a Redis sidecar it must be 1: each task would have its own Redis)."
  type        = number
  default     = 1
}

variable "deployment_minimum_healthy_percent" {
  description = "Rolling deployment: tasks that stay in service while a new revision starts (100: the old task serves until the new one is healthy)."
  type        = number
  default     = 100
}

variable "deployment_maximum_percent" {
  description = "Rolling deployment: upper bound of running tasks during a deployment (200: one new task beside the old one)."
  type        = number
  default     = 200
}

variable "health_check_grace_period_seconds" {
  description = "Seconds the ALB health check is ignored after a task starts."
  type        = number
  default     = 30
}

variable "autoscaling" {
  description = "Target tracking on the server's fp_connections (average per task) and CPU. Only with an external Redis."
  type = object({
    enabled              = optional(bool, false)
    min_tasks            = optional(number, 2)
    max_tasks            = optional(number, 6)
    connections_per_task = optional(number, 2000)
    cpu_percent          = optional(number, 70)
  })
  default = {}
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the cluster (per-container memory, incl. the Redis sidecar)."
  type        = bool
  default     = true
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into the containers (debugging)."
  type        = bool
  default     = false
}
