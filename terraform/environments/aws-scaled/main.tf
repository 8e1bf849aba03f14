# The ADR's scale-out roadmap: N Fargate tasks behind the ALB, all on one ElastiCache Redis
# (storage-redis compare-and-swap, bus-redis pub/sub), autoscaled on the server's own
# connection count. Same image, same plugins, same config file as aws-single-task: only the
# Redis URL differs.
module "stack" {
  source = "../../modules/aws-stack"

  aws_region         = var.aws_region
  environment        = var.environment
  extra_tags         = var.extra_tags
  redis_mode         = "external"
  az_count           = 2
  nat_gateway_per_az = true
  certificate_arn    = var.certificate_arn
  domain_name        = var.domain_name
  route53_zone_id    = var.route53_zone_id
  image              = var.image
  task_cpu           = var.task_cpu
  task_memory_mib    = var.task_memory_mib
  autoscaling = {
    enabled              = true
    min_tasks            = var.min_tasks
    max_tasks            = var.max_tasks
    connections_per_task = var.connections_per_task
  }
  elasticache = {
    node_type          = var.cache_node_type
    replicas           = var.cache_replicas
    transit_encryption = var.cache_transit_encryption
  }
  alarm_thresholds = {
    # Above the autoscaling target: the alarm means scaling is not keeping up.
    connections_per_task = var.connections_per_task * 2
  }
  notion_database_id          = var.notion_database_id
  notion_data_source_id       = var.notion_data_source_id
  webhook_url                 = var.webhook_url
  admin_api                   = var.admin_api
  enable_execute_command      = var.enable_execute_command
  alarm_emails                = var.alarm_emails
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  create_ecr_repository       = var.create_ecr_repository
  alb_deletion_protection     = var.alb_deletion_protection
}
