# An account where the image is already in ECR (another environment created the repository and
# pushed it: create_ecr_repository = false): everything, the service, its alarms and the
# optional secrets included, in ONE plain apply of a fresh state. Nothing here may depend on an
# id or ARN created in the same apply (a count or for_each on the new secrets' ARNs or on the
# cache's id would fail at plan). Run with -var-file=terraform.tfvars.example, as deploy.tftest.hcl.

mock_provider "aws" {
  source = "../../tests/aws-mock"
}

run "everything_in_one_apply" {
  variables {
    image                 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fire-poker:0123456789abcdef0123456789abcdef01234567"
    create_ecr_repository = false
    webhook_url           = "https://hooks.example.com/fire-poker"
    admin_api             = true
  }

  assert {
    condition     = output.deployment.service != null && length(output.deployment.alarms) > 0
    error_message = "the service and its alarms are created with everything else"
  }
  assert {
    condition     = length(output.deployment.task.containers.server.secrets) == 4 && alltrue([for name, arn in output.deployment.task.containers.server.secrets : arn == output.deployment.secrets[name].arn])
    error_message = "the four secrets, created in the same apply, reach the task"
  }
  assert {
    condition     = output.ecr_repository_url == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fire-poker"
    error_message = "the existing repository is named, not created"
  }
}
