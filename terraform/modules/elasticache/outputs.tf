output "primary_endpoint" {
  description = "Primary endpoint address (reads and writes, pub/sub)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "redis_url" {
  description = "URL for storage-redis and bus-redis (FP_STORAGE_OPTIONS_URL, FP_BUS_OPTIONS_URL)."
  value       = "${var.transit_encryption ? "rediss" : "redis"}://${aws_elasticache_replication_group.this.primary_endpoint_address}:6379/0"
}

output "replication_group_id" {
  description = "Replication group id (CloudWatch dimension ReplicationGroupId)."
  value       = aws_elasticache_replication_group.this.id
}
