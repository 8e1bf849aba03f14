output "ecr_repository_url" {
  description = "Push the image here (<account>.dkr.ecr.<region>.amazonaws.com/<name>)."
  value       = "${local.account}.dkr.ecr.${local.region}.amazonaws.com/${var.ecr_repository_name}"
}

output "github_deploy_role_arn" {
  description = "Role for the AWS_DEPLOY_ROLE_ARN secret of the GitHub environment (null without github_repository)."
  value       = local.github ? aws_iam_role.github_deploy[0].arn : null
}
