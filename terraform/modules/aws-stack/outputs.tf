output "url" {
  description = "Where the service answers."
  value       = "https://${var.domain_name != "" ? var.domain_name : module.alb.alb_dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the ALB (CNAME target when Route 53 is not used)."
  value       = module.alb.alb_dns_name
}

output "ecr_repository_url" {
  description = "ECR repository of the image."
  value       = module.deploy_access.ecr_repository_url
}

output "github_deploy_role_arn" {
  description = "Role ARN for the GitHub environment secret AWS_DEPLOY_ROLE_ARN."
  value       = module.deploy_access.github_deploy_role_arn
}

output "cluster_name" {
  description = "ECS cluster (GitHub variable ECS_CLUSTER)."
  value       = module.ecs.cluster_name
}

output "service_name" {
  description = "ECS service (GitHub variable ECS_SERVICE)."
  value       = module.ecs.service_name
}

output "task_definition_family" {
  description = "Task definition family (GitHub variable ECS_TASK_FAMILY)."
  value       = module.ecs.task_definition_family
}

output "secret_ids" {
  description = "Secrets Manager secrets whose values the operator sets, by environment variable."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.name }
}

output "log_group_names" {
  description = "CloudWatch log groups by container."
  value       = module.observability.log_group_names
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.observability.alarm_topic_arn
}

output "redis_url" {
  description = "Redis the tasks use (the sidecar's loopback URL, or ElastiCache)."
  value       = module.runtime.redis_url
}
