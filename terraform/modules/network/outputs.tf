output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateway)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (tasks, ElastiCache)."
  value       = aws_subnet.private[*].id
}

output "alb_security_group_id" {
  description = "Security group of the ALB."
  value       = aws_security_group.alb.id
}

output "task_security_group_id" {
  description = "Security group of the tasks."
  value       = aws_security_group.task.id
}

output "redis_security_group_id" {
  description = "Security group of ElastiCache (null unless create_redis_security_group)."
  value       = var.create_redis_security_group ? aws_security_group.redis[0].id : null
}
