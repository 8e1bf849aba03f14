variable "websocket_ping_interval_seconds" {
  description = "The server's WebSocket ping interval (transport-websocket pingIntervalSeconds, from modules/app-runtime): the idle timeout must be at least twice it."
  type        = number
}

variable "idle_timeout_seconds" {
  description = "ALB idle timeout. A WebSocket is idle between pings, so it must exceed twice the ping interval or the ALB cuts quiet connections."
  type        = number
  default     = 120

  validation {
    condition     = var.idle_timeout_seconds >= 1 && var.idle_timeout_seconds <= 4000
    error_message = "idle_timeout_seconds must be 1..4000 (ALB limits)."
  }
}

variable "deregistration_delay_seconds" {
  description = "Target group deregistration delay: how long a draining task keeps its connections before the ALB closes them. Short, because clients reconnect and resume their seats."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay_seconds >= 0 && var.deregistration_delay_seconds <= 3600
    error_message = "deregistration_delay_seconds must be 0..3600."
  }
}

variable "expose_metrics" {
  description = "Let /metrics through the public load balancer. Off: the ALB answers 404 and only the collector sidecar (or a VPC-internal scraper) reads it."
  type        = bool
  default     = false
}

variable "health_check_interval_seconds" {
  description = "Interval of the target group's health check on /healthz."
  type        = number
  default     = 15
}
