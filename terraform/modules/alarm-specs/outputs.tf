output "alarms" {
  description = "CloudWatch alarms by key: alarm_name, description, namespace, metric_name, dimensions, statistic or extended_statistic, period, evaluation_periods, datapoints_to_alarm, comparison_operator, threshold, treat_missing_data."
  value       = local.alarms
}
