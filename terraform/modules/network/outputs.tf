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

output "security_group_rules" {
  description = "Every rule of the three security groups, read back from the resources (for the environments' tests and for review): port, protocol, and the peer (a CIDR or a security group id)."
  value = {
    alb_ingress = [for r in concat(values(aws_vpc_security_group_ingress_rule.alb_http), values(aws_vpc_security_group_ingress_rule.alb_https)) : {
      protocol = r.ip_protocol, from_port = r.from_port, to_port = r.to_port, cidr = r.cidr_ipv4, security_group = r.referenced_security_group_id
    }]
    alb_egress = [for r in [aws_vpc_security_group_egress_rule.alb_to_tasks] : {
      protocol = r.ip_protocol, from_port = r.from_port, to_port = r.to_port, cidr = r.cidr_ipv4, security_group = r.referenced_security_group_id
    }]
    task_ingress = [for r in [aws_vpc_security_group_ingress_rule.task_from_alb] : {
      protocol = r.ip_protocol, from_port = r.from_port, to_port = r.to_port, cidr = r.cidr_ipv4, security_group = r.referenced_security_group_id
    }]
    task_egress = [for r in concat([aws_vpc_security_group_egress_rule.task_https], aws_vpc_security_group_egress_rule.task_redis) : {
      protocol = r.ip_protocol, from_port = r.from_port, to_port = r.to_port, cidr = r.cidr_ipv4, security_group = r.referenced_security_group_id
    }]
    redis_ingress = [for r in aws_vpc_security_group_ingress_rule.redis_from_tasks : {
      protocol = r.ip_protocol, from_port = r.from_port, to_port = r.to_port, cidr = r.cidr_ipv4, security_group = r.referenced_security_group_id
    }]
  }
}
