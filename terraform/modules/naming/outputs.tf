output "prefix" {
  description = "The common prefix: <project>-<environment>."
  value       = local.prefix
}

output "names" {
  description = "Names of every resource, by role (cluster, service, alb, target_group, log groups...)."
  value       = local.names
}

output "tags" {
  description = "Tags for every resource."
  value       = local.tags
}
