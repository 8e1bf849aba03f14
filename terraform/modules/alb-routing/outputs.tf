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
}

output "deregistration_delay_seconds" {
  description = "Target group deregistration delay."
  value       = var.deregistration_delay_seconds
}
