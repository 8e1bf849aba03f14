variable "replication_group_id" {
  description = "ElastiCache replication group id (at most 40 characters; modules/naming names.redis_cluster)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "subnet_ids" {
  description = "Private subnets for the cache nodes."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the cache (modules/network redis_security_group_id)."
  type        = string
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "replicas" {
  description = "Read replicas besides the primary (1+ enables automatic failover across AZs)."
  type        = number
  default     = 1

  validation {
    condition     = var.replicas >= 0 && var.replicas <= 5
    error_message = "replicas must be 0..5."
  }
}

variable "maxmemory_policy" {
  description = "maxmemory-policy of the parameter group (noeviction, as the sidecar: a full cache refuses writes instead of dropping rooms or undelivered results)."
  type        = string
  default     = "noeviction"
}

variable "transit_encryption" {
  description = "TLS between tasks and cache (in-transit encryption; the cache then accepts TLS only). redis_url becomes rediss://, which storage-redis and bus-redis verify against the system CA store (ElastiCache's certificates chain to Amazon's public roots)."
  type        = bool
  default     = true
}
