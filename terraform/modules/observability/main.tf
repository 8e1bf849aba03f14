# Log groups for every container and for the metrics (EMF), an SNS topic for alarms, and the
# CloudWatch alarms chosen in modules/alarm-specs.
module "specs" {
  source = "../alarm-specs"

  name_prefix                      = var.name_prefix
  service_name                     = var.names.service
  metric_namespace                 = var.names.metric_namespace
  alb_arn_suffix                   = var.alb_arn_suffix
  target_group_arn_suffix          = var.target_group_arn_suffix
  cluster_name                     = var.cluster_name
  ecs_service_name                 = var.ecs_service_name
  min_healthy_tasks                = var.min_healthy_tasks
  redis_mode                       = var.redis_mode
  redis_sidecar_maxmemory_mib      = var.redis_sidecar_maxmemory_mib
  elasticache_replication_group_id = var.elasticache_replication_group_id
  thresholds                       = var.thresholds
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = {
    server = var.names.log_group_server
    redis  = var.names.log_group_redis
    otel   = var.names.log_group_otel
    emf    = var.names.log_group_emf
  }
  name              = each.value
  retention_in_days = var.log_retention_days
  tags              = merge(var.tags, { Container = each.key })
}

resource "aws_sns_topic" "alarms" {
  name = var.names.alarm_topic
  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# for_each keys come from modules/alarm-specs, chosen by redis_mode and create_alarms (known
# at plan); ids that exist only after apply are values (dimensions), never keys.
resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = var.create_alarms ? module.specs.alarms : {}

  alarm_name          = each.value.alarm_name
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}
