variable "name" {
  description = "Name of the load balancer (at most 32 characters; modules/naming names.alb)."
  type        = string
}

variable "target_group_name" {
  description = "Name of the target group (at most 32 characters; modules/naming names.target_group)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the ALB (at least two AZs)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the ALB (modules/network alb_security_group_id)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate (same region) for the HTTPS listener."
  type        = string
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "app_port" {
  description = "Port of the server in the task."
  type        = number
  default     = 8080
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout; must stay at least twice the server's WebSocket ping interval."
  type        = number
  default     = 120
}

variable "websocket_ping_interval_seconds" {
  description = "The server's WebSocket ping interval (modules/app-runtime output): the idle timeout is checked against it."
  type        = number
}

variable "deregistration_delay_seconds" {
  description = "How long a draining task keeps its connections before the ALB closes them (ECS sends SIGTERM only after that)."
  type        = number
  default     = 30
}

variable "expose_metrics" {
  description = "Let /metrics through the load balancer (default: answered 404 by the ALB)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the load balancer against deletion."
  type        = bool
  default     = true
}

variable "access_logs_bucket" {
  description = "S3 bucket for ALB access logs; empty = off."
  type        = string
  default     = ""
}
