variable "name_prefix" {
  description = "Prefix of resource names (<project>-<environment>)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; public and private subnets are carved out of it (/20 each)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 18
    error_message = "vpc_cidr must be a valid IPv4 CIDR of /18 or larger."
  }
}

variable "az_count" {
  description = "Availability zones to spread subnets over (an ALB needs at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per AZ (survives an AZ outage) instead of one shared NAT gateway (cheaper)."
  type        = bool
  default     = false
}

variable "app_port" {
  description = "Port of the server in the task; only the ALB's security group may reach it."
  type        = number
  default     = 8080
}

variable "alb_ingress_cidrs" {
  description = "IPv4 CIDRs allowed to reach the ALB on 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "create_redis_security_group" {
  description = "Create the security group for an external Redis (ElastiCache, aws-scaled), reachable from the tasks only."
  type        = bool
  default     = false
}
