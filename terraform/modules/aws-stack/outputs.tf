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

output "deployment" {
  description = "How this deployment behaves, read back from the resources Terraform created: load balancer, security groups, service, task (containers without the collector's configuration), secrets, alarms, ElastiCache. Service, task and alarms are empty until image is set."
  value = {
    redis_mode                   = var.redis_mode
    load_balancer                = module.alb.settings
    alb_security_group_id        = module.network.alb_security_group_id
    task_security_group_id       = module.network.task_security_group_id
    redis_security_group_id      = module.network.redis_security_group_id
    security_group_rules         = module.network.security_group_rules
    service                      = module.ecs.settings.service
    autoscaling                  = module.ecs.settings.autoscaling
    execution_role_reads_secrets = module.ecs.settings.execution_role_reads_secrets
    task_role_statements         = module.ecs.settings.task_role_statements
    task = one([for task in module.ecs.settings.task == null ? [] : [module.ecs.settings.task] : {
      cpu        = task.cpu
      memory_mib = task.memory_mib
      volumes    = task.volumes
      containers = { for name, c in task.containers : name => {
        image                    = c.image
        essential                = c.essential
        command                  = try(c.command, null)
        memory_mib               = c.memory
        readonly_root_filesystem = c.readonlyRootFilesystem
        stop_timeout_seconds     = c.stopTimeout
        depends_on               = { for d in c.dependsOn : d.containerName => d.condition }
        health_check             = c.healthCheck.command
        port                     = try(c.portMappings[0].containerPort, null)
        mount_points             = [for m in c.mountPoints : m.containerPath]
        # The collector's YAML configuration is left out; only its pipelines are named.
        environment = { for e in c.environment : e.name => e.name == "AOT_CONFIG_CONTENT" ? join(",", sort(keys(yamldecode(e.value).service.pipelines))) : e.value }
        secrets     = { for sec in c.secrets : sec.name => sec.valueFrom }
      } }
    }])
    secrets     = { for name, secret in aws_secretsmanager_secret.this : name => { name = secret.name, arn = secret.arn } }
    alarms      = module.observability.alarms
    elasticache = one(module.elasticache[*].settings)
  }
}
