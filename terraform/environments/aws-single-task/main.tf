# The ADR's decision: ONE Fargate task behind an ALB, with the server and a Redis sidecar
# without persistence. Exactly one task: each task would have its own Redis, so there is no
# autoscaling here (environments/aws-scaled is the scale-out). A restart empties Redis: rooms
# come back when clients reconnect, history from Notion (docs/operations.md).
module "stack" {
  source = "../../modules/aws-stack"

  aws_region      = var.aws_region
  environment     = var.environment
  extra_tags      = var.extra_tags
  redis_mode      = "sidecar"
  desired_count   = 1
  certificate_arn = var.certificate_arn
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  image           = var.image
  task_cpu        = var.task_cpu
  task_memory_mib = var.task_memory_mib
  container_resources = {
    redis_memory_mib = var.redis_memory_mib
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
