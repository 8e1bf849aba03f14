output "definitions" {
  description = "The container definitions (list of objects), in ECS' schema."
  value       = local.definitions

  precondition {
    condition     = local.memory_total <= var.task_memory_mib
    error_message = "The containers' memory limits (${local.memory_total} MiB) exceed the task's memory (${var.task_memory_mib} MiB)."
  }
  precondition {
    condition     = local.cpu_total <= var.task_cpu
    error_message = "The containers' CPU units (${local.cpu_total}) exceed the task's CPU (${var.task_cpu})."
  }
  precondition {
    condition     = length(local.missing_secrets) == 0
    error_message = "Secrets without a valueFrom ARN: ${join(", ", local.missing_secrets)}."
  }
  precondition {
    condition     = local.stop_timeout > var.runtime.shutdown_timeout_seconds
    error_message = "The server's stop timeout (${local.stop_timeout} s) must exceed its shutdown timeout (${var.runtime.shutdown_timeout_seconds} s), or ECS kills it while it still delivers results."
  }
}

output "json" {
  description = "The container definitions as the JSON string aws_ecs_task_definition expects."
  value       = jsonencode(local.definitions)
}

output "container_names" {
  description = "Names of the containers in the task, server first."
  value       = [for c in local.definitions : c.name]
}

output "redis_volume_name" {
  description = "Name of the task volume mounted at the Redis sidecar's /data (null without a sidecar)."
  value       = var.runtime.redis_sidecar ? local.redis_volume : null
}

output "memory_mib_total" {
  description = "Sum of the containers' hard memory limits."
  value       = local.memory_total
}

output "cpu_total" {
  description = "Sum of the containers' CPU units."
  value       = local.cpu_total
}

output "stop_timeout_seconds" {
  description = "Seconds ECS waits after SIGTERM before it kills the server."
  value       = local.stop_timeout
}

output "server_container_name" {
  description = "The container the load balancer targets."
  value       = "server"
}

output "server_port" {
  description = "The server container's port."
  value       = var.runtime.port
}
