output "log_group_names" {
  description = "Log groups by container (server, redis, otel) and emf (metrics)."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of the alarms created."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}

output "alarms" {
  description = "The alarms created, by key, read back from the resources: metric, dimensions, statistic, threshold, periods, notification topic."
  value = { for key, a in aws_cloudwatch_metric_alarm.this : key => {
    alarm_name          = a.alarm_name
    namespace           = a.namespace
    metric_name         = a.metric_name
    dimensions          = a.dimensions
    statistic           = coalesce(a.statistic, a.extended_statistic)
    comparison_operator = a.comparison_operator
    threshold           = a.threshold
    period              = a.period
    evaluation_periods  = a.evaluation_periods
    notifies            = a.alarm_actions
  } }
}
