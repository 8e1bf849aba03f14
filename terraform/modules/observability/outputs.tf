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
