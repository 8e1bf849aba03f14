output "url" {
  description = "Where the service answers."
  value       = module.stack.url
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.stack.alb_dns_name
}

output "ecr_repository_url" {
  description = "ECR repository (GitHub variable ECR_REPOSITORY is its last path part)."
  value       = module.stack.ecr_repository_url
}

output "github_deploy_role_arn" {
  description = "For the GitHub environment secret AWS_DEPLOY_ROLE_ARN."
  value       = module.stack.github_deploy_role_arn
}

output "cluster_name" {
  description = "ECS cluster (GitHub variable ECS_CLUSTER)."
  value       = module.stack.cluster_name
}

output "service_name" {
  description = "ECS service (GitHub variable ECS_SERVICE)."
  value       = module.stack.service_name
}

output "task_definition_family" {
  description = "Task definition family (GitHub variable ECS_TASK_FAMILY)."
  value       = module.stack.task_definition_family
}

output "secret_ids" {
  description = "Secrets whose values you set with aws secretsmanager put-secret-value."
  value       = module.stack.secret_ids
}

output "log_group_names" {
  description = "CloudWatch log groups."
  value       = module.stack.log_group_names
}

output "deployment" {
  description = "How this deployment behaves, read back from what Terraform created (load balancer, security groups, service, task, secrets, alarms): terraform output -json deployment. The terraform tests assert it."
  value       = module.stack.deployment
}
