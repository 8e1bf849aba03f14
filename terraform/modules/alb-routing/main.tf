# The ALB's routing for Fire Poker, without a provider: listener rules (WebSocket, REST API,
# health, metrics), the target group's health check, idle timeout and deregistration delay.
# One task serves all three classes today; each class has its own rule so that a later split
# (the ADR's condition for dividing the task) changes only the target of one rule.
locals {
  forward = { type = "forward", target = "app", status_code = null, content_type = null, body = null }

  all_rules = {
    metrics = {
      priority      = 5
      path_patterns = ["/metrics", "/metrics/*"]
      action        = { type = "fixed-response", target = null, status_code = "404", content_type = "application/json", body = "{\"error\":\"not_found\"}" }
      enabled       = !var.expose_metrics
    }
    websocket = {
      priority      = 10
      path_patterns = ["/ws", "/ws/*"]
      action        = local.forward
      enabled       = true
    }
    api = {
      priority      = 20
      path_patterns = ["/api/*"]
      action        = local.forward
      enabled       = true
    }
    health = {
      priority      = 30
      path_patterns = ["/healthz", "/readyz"]
      action        = local.forward
      enabled       = true
    }
  }

  rules = { for name, rule in local.all_rules : name => {
    priority      = rule.priority
    path_patterns = rule.path_patterns
    action        = rule.action
  } if rule.enabled }

  # Static files (/, /r/<room>, assets) take the listener's default action.
  default_action = local.forward

  health_check = {
    path                = "/healthz"
    matcher             = "200"
    protocol            = "HTTP"
    interval            = var.health_check_interval_seconds
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}
