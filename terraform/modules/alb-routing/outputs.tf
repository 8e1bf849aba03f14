output "rules" {
  description = "Listener rules by name: priority, path patterns and action (forward to the \"app\" target group, or a fixed response)."
  value       = local.rules
}

output "default_action" {
  description = "The listener's default action (static files)."
  value       = local.default_action
}

output "health_check" {
  description = "The target group's health check (liveness on /healthz, not readiness)."
  value       = local.health_check
}

output "idle_timeout_seconds" {
  description = "ALB idle timeout."
  value       = var.idle_timeout_seconds

  # An error, not a warning: below this the ALB closes quiet WebSockets between two pings.
  precondition {
    condition     = var.idle_timeout_seconds >= 2 * var.websocket_ping_interval_seconds
    error_message = "idle_timeout_seconds (${var.idle_timeout_seconds}) must be at least twice the server's WebSocket ping interval (${var.websocket_ping_interval_seconds} s), or the ALB closes quiet WebSockets when one ping is late."
  }
}

output "deregistration_delay_seconds" {
  description = "Target group deregistration delay."
  value       = var.deregistration_delay_seconds
}
