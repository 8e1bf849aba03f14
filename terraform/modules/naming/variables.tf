variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "fire-poker"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.project))
    error_message = "project must be 2..20 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (e.g. prod, staging), the second part of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.environment))
    error_message = "environment must be 1..16 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "extra_tags" {
  description = "Tags added to the standard ones (Project, Environment, ManagedBy) on every resource."
  type        = map(string)
  default     = {}
}
