output "command" {
  description = "Arguments after the image's entrypoint (fire-poker)."
  value       = ["--config", var.config_path]
}

output "environment" {
  description = "Plain (non-secret) environment of the server container."
  value       = local.environment
}

output "secret_environment_names" {
  description = "Environment variables whose values must come from the platform's secret store."
  value       = var.secret_environment_names
}

output "port" {
  description = "The container port serving HTTP and WebSocket."
  value       = var.port
}

output "shutdown_timeout_seconds" {
  description = "How long the server's graceful shutdown may take after SIGTERM (server.shutdownTimeoutSeconds)."
  value       = var.shutdown_timeout_seconds
}

output "websocket_ping_interval_seconds" {
  description = "Seconds between the server's WebSocket pings (transport-websocket pingIntervalSeconds)."
  value       = var.websocket_ping_interval_seconds
}

output "health_path" {
  description = "Liveness: 200 while the process serves HTTP (load balancer and container health checks)."
  value       = "/healthz"
}

output "readiness_path" {
  description = "Readiness: 200 when storage, bus and sinks are ready; 503 with the reasons otherwise (and while draining)."
  value       = "/readyz"
}

output "healthcheck_command" {
  description = "Container health check of the server (Docker/ECS form)."
  value       = ["CMD", "fire-poker", "--healthcheck", local.healthcheck_url]
}

output "healthcheck_args" {
  description = "The same health check as a plain argv, for platforms without the CMD prefix."
  value       = ["fire-poker", "--healthcheck", local.healthcheck_url]
}

output "redis_sidecar" {
  description = "True when Redis runs as a sidecar of the server."
  value       = local.sidecar
}

output "redis_url" {
  description = "The Redis URL the server uses (storage-redis and bus-redis)."
  value       = local.redis_url
}

output "redis_maxmemory_mib" {
  description = "Redis maxmemory of the sidecar in MiB."
  value       = local.redis_maxmemory_mib
}

output "redis_command" {
  description = "Command of the Redis sidecar: no RDB, no AOF, a memory cap and policy, loopback only."
  value = [
    "redis-server",
    "--save", "",
    "--appendonly", "no",
    "--maxmemory", "${local.redis_maxmemory_mib}mb",
    "--maxmemory-policy", var.redis_maxmemory_policy,
    "--bind", "127.0.0.1",
    "--port", "6379",
  ]
}

output "redis_healthcheck_command" {
  description = "Container health check of the Redis sidecar (Docker/ECS form)."
  value       = ["CMD-SHELL", "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"]
}
