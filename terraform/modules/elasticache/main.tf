# ElastiCache for Redis (cluster mode disabled) for the aws-scaled environment: every task uses
# the primary endpoint for storage (compare-and-swap) and the bus (pub/sub). As with the
# sidecar, nothing is persisted (no snapshots): rooms come back from the clients, history
# from Notion.
resource "aws_elasticache_subnet_group" "this" {
  name       = var.replication_group_id
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_elasticache_parameter_group" "this" {
  name   = "${var.replication_group_id}-params"
  family = "redis${split(".", var.engine_version)[0]}"
  tags   = var.tags

  parameter {
    name  = "maxmemory-policy"
    value = var.maxmemory_policy
  }

  # Keyspace notifications are not used; pub/sub is.
  parameter {
    name  = "notify-keyspace-events"
    value = ""
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.replication_group_id
  description                = "Fire Poker rooms, outbox and bus"
  engine                     = "redis"
  engine_version             = var.engine_version
  node_type                  = var.node_type
  port                       = 6379
  num_cache_clusters         = 1 + var.replicas
  automatic_failover_enabled = var.replicas > 0
  multi_az_enabled           = var.replicas > 0
  parameter_group_name       = aws_elasticache_parameter_group.this.name
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [var.security_group_id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = var.transit_encryption
  snapshot_retention_limit   = 0
  apply_immediately          = false
  tags                       = var.tags
}
