# One Fire Poker deployment on AWS: network, ALB, ECS service, observability, deploy access
# and, for redis_mode = "external", ElastiCache. environments/aws-single-task and
# environments/aws-scaled are this module with the ADR's two settings.
module "naming" {
  source = "../naming"

  project     = var.project
  environment = var.environment
  extra_tags  = var.extra_tags
}

locals {
  names      = module.naming.names
  tags       = module.naming.tags
  sidecar    = var.redis_mode == "sidecar"
  webhook    = var.webhook_url != ""
  config_dir = "/opt/fire-poker/share/fire-poker/configs"
  # Nothing runs until the first image is in ECR: no task definition, service or alarms yet.
  has_image = var.image != ""

  # How long the ALB keeps a deregistered task's connections before it closes them; ECS sends
  # SIGTERM only after that. With the sidecar every task has its own Redis, so this is how long
  # a rolling deployment splits a room between the old task and the new one: keep it short
  # (clients reconnect in about a second and restore their seat and vote). With ElastiCache
  # both tasks share the rooms, and a longer drain only delays the reconnect.
  deregistration_delay_seconds = local.sidecar ? 5 : 30

  # Every secret is a Secrets Manager secret, keyed by the environment variable it fills. The
  # keys depend on variables only, so for_each is known at plan (no -target on a first apply).
  secret_names = merge(
    {
      FP_RESUME_SECRET         = "resume-secret"
      FP_SINKS_0_OPTIONS_TOKEN = "notion-token"
    },
    local.webhook ? { FP_SINKS_1_OPTIONS_SECRET = "webhook-secret" } : {},
    var.admin_api ? { FP_ADMIN_TOKEN = "admin-token" } : {},
  )
}

module "network" {
  source = "../network"

  name_prefix                 = module.naming.prefix
  tags                        = local.tags
  vpc_cidr                    = var.vpc_cidr
  az_count                    = var.az_count
  nat_gateway_per_az          = var.nat_gateway_per_az
  create_redis_security_group = !local.sidecar
}

module "elasticache" {
  source = "../elasticache"
  count  = local.sidecar ? 0 : 1

  replication_group_id = local.names.redis_cluster
  tags                 = local.tags
  subnet_ids           = module.network.private_subnet_ids
  security_group_id    = module.network.redis_security_group_id
  node_type            = var.elasticache.node_type
  engine_version       = var.elasticache.engine_version
  replicas             = var.elasticache.replicas
  transit_encryption   = var.elasticache.transit_encryption
}

# Secret containers only: their values are put by the operator (docs/deploy-aws.md), so no
# secret ever lands in the Terraform state or the repository.
resource "aws_secretsmanager_secret" "this" {
  for_each                = local.secret_names
  name                    = "${module.naming.prefix}/${each.value}"
  description             = "Fire Poker ${each.value} (${each.key}); value set by the operator"
  recovery_window_in_days = 7
  tags                    = local.tags
}

module "runtime" {
  source = "../app-runtime"

  config_path      = "${local.config_dir}/${local.webhook ? "aws-webhook.json" : "aws.json"}"
  redis_mode       = var.redis_mode
  redis_url        = local.sidecar ? "" : module.elasticache[0].redis_url
  redis_memory_mib = var.container_resources.redis_memory_mib
  log_level        = var.log_level

  shutdown_timeout_seconds        = var.shutdown_timeout_seconds
  websocket_ping_interval_seconds = var.websocket_ping_interval_seconds
  otlp_endpoint                   = var.otel_collector_image == "" ? "" : "http://127.0.0.1:4318/v1/metrics"
  service_name                    = local.names.service
  extra_environment = merge(
    var.notion_database_id != "" ? { FP_SINKS_0_OPTIONS_DATABASEID = var.notion_database_id } : {},
    var.notion_data_source_id != "" ? { FP_SINKS_0_OPTIONS_DATASOURCEID = var.notion_data_source_id } : {},
    local.webhook ? { FP_SINKS_1_OPTIONS_URL = var.webhook_url } : {},
  )
  secret_environment_names = keys(local.secret_names)
}

module "alb" {
  source = "../alb"

  name                = local.names.alb
  target_group_name   = local.names.target_group
  tags                = local.tags
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  security_group_id   = module.network.alb_security_group_id
  certificate_arn     = var.certificate_arn
  app_port            = module.runtime.port
  expose_metrics      = var.expose_metrics
  deletion_protection = var.alb_deletion_protection

  websocket_ping_interval_seconds = module.runtime.websocket_ping_interval_seconds
  deregistration_delay_seconds    = local.deregistration_delay_seconds
}

module "observability" {
  source = "../observability"

  names                            = local.names
  name_prefix                      = module.naming.prefix
  tags                             = local.tags
  log_retention_days               = var.log_retention_days
  alarm_emails                     = var.alarm_emails
  alb_arn_suffix                   = module.alb.alb_arn_suffix
  target_group_arn_suffix          = module.alb.target_group_arn_suffix
  cluster_name                     = local.names.cluster
  ecs_service_name                 = local.names.service
  min_healthy_tasks                = var.autoscaling.enabled ? var.autoscaling.min_tasks : var.desired_count
  create_alarms                    = local.has_image
  redis_mode                       = var.redis_mode
  redis_sidecar_maxmemory_mib      = module.runtime.redis_maxmemory_mib
  elasticache_replication_group_id = local.sidecar ? "" : module.elasticache[0].replication_group_id
  thresholds                       = var.alarm_thresholds
}

module "ecs" {
  source = "../ecs-service"

  names                  = local.names
  tags                   = local.tags
  aws_region             = var.aws_region
  runtime                = module.runtime
  image                  = var.image
  redis_image            = var.redis_image
  otel_collector_image   = var.otel_collector_image
  task_cpu               = var.task_cpu
  task_memory_mib        = var.task_memory_mib
  container_resources    = var.container_resources
  secrets                = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
  private_subnet_ids     = module.network.private_subnet_ids
  task_security_group_id = module.network.task_security_group_id
  target_group_arn       = module.alb.target_group_arn
  desired_count          = var.desired_count
  autoscaling            = var.autoscaling
  enable_execute_command = var.enable_execute_command

  # The log groups exist before the first task writes to them; the HTTPS listener exists
  # before the service registers targets.
  depends_on = [module.observability, module.alb]
}

module "deploy_access" {
  source = "../deploy-access"

  name_prefix                 = module.naming.prefix
  tags                        = local.tags
  ecr_repository_name         = var.ecr_repository_name
  create_ecr_repository       = var.create_ecr_repository
  github_repository           = var.github_repository
  github_environment          = var.github_environment
  create_github_oidc_provider = var.create_github_oidc_provider
  cluster_name                = local.names.cluster
  service_name                = local.names.service
  pass_role_names             = [local.names.execution_role, local.names.task_role]
}

resource "aws_route53_record" "this" {
  count   = var.route53_zone_id != "" && var.domain_name != "" ? 1 : 0
  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = module.alb.alb_dns_name
    zone_id                = module.alb.alb_zone_id
    evaluate_target_health = true
  }
}
