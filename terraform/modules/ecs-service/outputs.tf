output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ECS cluster ARN."
  value       = aws_ecs_cluster.this.arn
}

output "service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.this.name
}

output "task_definition_family" {
  description = "Task definition family; deploy.yml registers new revisions of it."
  value       = aws_ecs_task_definition.this.family
}

output "task_definition_arn" {
  description = "The task definition revision Terraform registered."
  value       = aws_ecs_task_definition.this.arn
}

output "execution_role_arn" {
  description = "Task execution role (pull, logs, secrets)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "Task role (collector writes metrics)."
  value       = aws_iam_role.task.arn
}

output "container_names" {
  description = "Containers in the task."
  value       = module.containers.container_names
}
