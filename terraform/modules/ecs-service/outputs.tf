output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ECS cluster ARN."
  value       = aws_ecs_cluster.this.arn
}

output "service_name" {
  description = "ECS service name (the service exists once image is set)."
  value       = var.names.service
}

output "task_definition_family" {
  description = "Task definition family; deploy.yml registers new revisions of it."
  value       = var.names.task_family
}

output "task_definition_arn" {
  description = "The task definition revision Terraform registered (null until image is set)."
  value       = one(aws_ecs_task_definition.this[*].arn)
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

output "settings" {
  description = "What the service and its task definition were created with, read back from the resources (for the environments' tests and for review); service and task are null until image is set."
  value = {
    service = one([for svc in aws_ecs_service.this : {
      desired_count                      = svc.desired_count
      deployment_minimum_healthy_percent = svc.deployment_minimum_healthy_percent
      deployment_maximum_percent         = svc.deployment_maximum_percent
      circuit_breaker_rollback           = svc.deployment_circuit_breaker[0].enable && svc.deployment_circuit_breaker[0].rollback
      health_check_grace_period_seconds  = svc.health_check_grace_period_seconds
      enable_execute_command             = svc.enable_execute_command
      assign_public_ip                   = svc.network_configuration[0].assign_public_ip
      load_balancer_container            = svc.load_balancer[*].container_name
      load_balancer_port                 = svc.load_balancer[*].container_port
    }])
    task = one([for td in aws_ecs_task_definition.this : {
      cpu        = tonumber(td.cpu)
      memory_mib = tonumber(td.memory)
      volumes    = [for v in td.volume : v.name]
      containers = { for c in jsondecode(td.container_definitions) : c.name => c }
    }])
    autoscaling = one([for target in aws_appautoscaling_target.this : {
      min_tasks = target.min_capacity
      max_tasks = target.max_capacity
      policies  = concat(aws_appautoscaling_policy.connections[*].name, aws_appautoscaling_policy.cpu[*].name)
    }])
    execution_role_reads_secrets = sort(flatten([for st in data.aws_iam_policy_document.read_secrets.statement : st.resources]))
    task_role_statements         = [for st in data.aws_iam_policy_document.task.statement : st.sid]
  }
}
