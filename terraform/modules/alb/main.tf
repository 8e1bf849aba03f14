# Application Load Balancer: HTTP -> HTTPS redirect, HTTPS listener with rules for /ws, /api,
# health and /metrics (modules/alb-routing), one IP target group for the Fargate tasks with a
# health check on /healthz and WebSocket-friendly idle timeout and deregistration delay.
module "routing" {
  source = "../alb-routing"

  idle_timeout_seconds            = var.idle_timeout_seconds
  websocket_ping_interval_seconds = var.websocket_ping_interval_seconds
  deregistration_delay_seconds    = var.deregistration_delay_seconds
  expose_metrics                  = var.expose_metrics
}

resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.security_group_id]
  idle_timeout               = module.routing.idle_timeout_seconds
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  enable_http2               = true
  tags                       = var.tags

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == "" ? [] : [var.access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = var.name
      enabled = true
    }
  }
}

resource "aws_lb_target_group" "app" {
  name                 = var.target_group_name
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.app_port
  deregistration_delay = module.routing.deregistration_delay_seconds
  tags                 = var.tags

  health_check {
    enabled             = true
    path                = module.routing.health_check.path
    matcher             = module.routing.health_check.matcher
    protocol            = module.routing.health_check.protocol
    interval            = module.routing.health_check.interval
    timeout             = module.routing.health_check.timeout
    healthy_threshold   = module.routing.health_check.healthy_threshold
    unhealthy_threshold = module.routing.health_check.unhealthy_threshold
  }

  # Not needed: any task serves any room. Left off so a reconnect may land on a fresh task.
  stickiness {
    type    = "lb_cookie"
    enabled = false
  }

}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  tags              = var.tags

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn
  tags              = var.tags

  # Static files: /, /r/<room>, assets.
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_lb_listener_rule" "this" {
  for_each     = module.routing.rules
  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority
  tags         = merge(var.tags, { Route = each.key })

  condition {
    path_pattern {
      values = each.value.path_patterns
    }
  }

  dynamic "action" {
    for_each = each.value.action.type == "forward" ? [1] : []
    content {
      type             = "forward"
      target_group_arn = aws_lb_target_group.app.arn
    }
  }

  dynamic "action" {
    for_each = each.value.action.type == "fixed-response" ? [1] : []
    content {
      type = "fixed-response"
      fixed_response {
        status_code  = each.value.action.status_code
        content_type = each.value.action.content_type
        message_body = each.value.action.body
      }
    }
  }
}
