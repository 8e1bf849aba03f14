output "primary_endpoint" {
  description = "Primary endpoint address (reads and writes, pub/sub)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "redis_url" {
  description = "URL for storage-redis and bus-redis (FP_STORAGE_OPTIONS_URL, FP_BUS_OPTIONS_URL): rediss:// when the cache encrypts in transit (TLS-only then), redis:// otherwise. The server verifies the certificate against the system CA store and the endpoint's name."
  value       = "${aws_elasticache_replication_group.this.transit_encryption_enabled ? "rediss" : "redis"}://${aws_elasticache_replication_group.this.primary_endpoint_address}:${aws_elasticache_replication_group.this.port}/0"
}

output "replication_group_id" {
  description = "Replication group id (CloudWatch dimension ReplicationGroupId)."
  value       = aws_elasticache_replication_group.this.id
}

output "settings" {
  description = "What the replication group was created with, read back from the resources (for the environments' tests and for review)."
  value = {
    transit_encryption       = aws_elasticache_replication_group.this.transit_encryption_enabled
    at_rest_encryption       = aws_elasticache_replication_group.this.at_rest_encryption_enabled
    snapshot_retention_limit = aws_elasticache_replication_group.this.snapshot_retention_limit
    automatic_failover       = aws_elasticache_replication_group.this.automatic_failover_enabled
    nodes                    = aws_elasticache_replication_group.this.num_cache_clusters
    parameters               = { for p in aws_elasticache_parameter_group.this.parameter : p.name => p.value }
  }
}
