variable "aws_region" {
  description = "AWS region of the deployment."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name, part of every resource name."
  type        = string
  default     = "prod"
}

variable "extra_tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "certificate_arn" {
  description = "ACM certificate ARN in aws_region covering domain_name."
  type        = string
}

variable "domain_name" {
  description = "Public host name (poker.example.com); empty = the ALB's DNS name."
  type        = string
  default     = ""
}

variable "route53_zone_id" {
  description = "Route 53 zone for an alias record; empty = manage DNS yourself."
  type        = string
  default     = ""
}

variable "image" {
  description = "Image of the first deployment, <ecr url>:<tag>; empty until it is pushed (docs/deploy-aws.md step 5): the service is created by the apply that sets it. Later images come from the Deploy workflow."
  type        = string
  default     = ""
}

variable "task_cpu" {
  description = "Fargate task CPU units (server + Redis + collector)."
  type        = number
  default     = 512
}

variable "task_memory_mib" {
  description = "Fargate task memory in MiB (server 512 + Redis 256 + collector 128 by default)."
  type        = number
  default     = 1024
}

variable "redis_memory_mib" {
  description = "Memory limit of the Redis sidecar; maxmemory is 75% of it."
  type        = number
  default     = 256
}

variable "notion_database_id" {
  description = "Notion database for the results (API 2022-06-28); or notion_data_source_id."
  type        = string
  default     = ""
}

variable "notion_data_source_id" {
  description = "Notion data source for the results (API 2025-09-03); or notion_database_id."
  type        = string
  default     = ""
}

variable "webhook_url" {
  description = "Webhook the results are also POSTed to; empty = none."
  type        = string
  default     = ""
}

variable "admin_api" {
  description = "Operator routes /api/admin/outbox/... (list and requeue failed results) with a bearer token from Secrets Manager (admin-token)."
  type        = bool
  default     = false
}

variable "enable_execute_command" {
  description = "Allow ECS Exec (aws ecs execute-command) into the containers; their root file systems are writable while it is on (docs/operations.md)."
  type        = bool
  default     = false
}

variable "alarm_emails" {
  description = "E-mail addresses notified by the alarms."
  type        = list(string)
  default     = []
}

variable "github_repository" {
  description = "GitHub owner/name allowed to deploy (OIDC); empty = no deploy role."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false if it exists already)."
  type        = bool
  default     = true
}

variable "create_ecr_repository" {
  description = "Create the ECR repository (false if another environment did)."
  type        = bool
  default     = true
}

variable "alb_deletion_protection" {
  description = "Protect the load balancer against deletion (set false, apply, then destroy)."
  type        = bool
  default     = true
}
