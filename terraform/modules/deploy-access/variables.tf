variable "name_prefix" {
  description = "Prefix of resource names (<project>-<environment>)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "ecr_repository_name" {
  description = "Name of the ECR repository for the Fire Poker image (shared by environments of one account is fine)."
  type        = string
  default     = "fire-poker"
}

variable "create_ecr_repository" {
  description = "Create the ECR repository (false when another environment of the account created it)."
  type        = bool
  default     = true
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may deploy; empty = no GitHub role."
  type        = string
  default     = ""
}

variable "github_environment" {
  description = "GitHub environment the deploy job runs in (the role trusts only that environment)."
  type        = string
  default     = "production"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (once per account; false when it exists)."
  type        = bool
  default     = true
}

variable "cluster_name" {
  description = "ECS cluster of the service deploy.yml updates (a name, so this module can be applied before the cluster exists)."
  type        = string
}

variable "service_name" {
  description = "ECS service deploy.yml updates."
  type        = string
}

variable "pass_role_names" {
  description = "Names of the roles the task definition revisions use (execution and task role): deploy.yml must be allowed to pass them."
  type        = list(string)
}
