output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "arn_suffix of the load balancer (CloudWatch dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point your domain's CNAME or alias here)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias record."
  value       = aws_lb.this.zone_id
}

output "target_group_arn" {
  description = "ARN of the target group the ECS service registers its tasks in."
  value       = aws_lb_target_group.app.arn
}

output "target_group_arn_suffix" {
  description = "arn_suffix of the target group (CloudWatch dimension TargetGroup)."
  value       = aws_lb_target_group.app.arn_suffix
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "settings" {
  description = "What the load balancer and its target group were created with (read back from the resources, for the environments' tests and for review): idle timeout, deregistration delay, health check, listener rules."
  value = {
    idle_timeout_seconds         = aws_lb.this.idle_timeout
    deregistration_delay_seconds = tonumber(aws_lb_target_group.app.deregistration_delay)
    health_check = {
      path                = aws_lb_target_group.app.health_check[0].path
      matcher             = aws_lb_target_group.app.health_check[0].matcher
      interval            = aws_lb_target_group.app.health_check[0].interval
      healthy_threshold   = aws_lb_target_group.app.health_check[0].healthy_threshold
      unhealthy_threshold = aws_lb_target_group.app.health_check[0].unhealthy_threshold
    }
    http_redirects_to_https = aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS"
    https_ssl_policy        = aws_lb_listener.https.ssl_policy
    listener_rules = { for name, rule in aws_lb_listener_rule.this : name => {
      priority      = rule.priority
      path_patterns = sort(flatten([for c in rule.condition : [for p in c.path_pattern : p.values]]))
      action        = rule.action[0].type
    } }
  }
}
