run "standard_names" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = output.prefix == "fire-poker-prod"
    error_message = "the prefix is <project>-<environment>"
  }
  assert {
    condition     = output.names.log_group_server == "/ecs/fire-poker-prod/server"
    error_message = "server log group name"
  }
  assert {
    condition     = output.names.target_group == "fire-poker-prod-tg"
    error_message = "target group name"
  }
  assert {
    condition     = output.tags["ManagedBy"] == "terraform" && output.tags["Environment"] == "prod"
    error_message = "standard tags"
  }
}

run "long_names_fit_aws_limits" {
  command = plan

  variables {
    project     = "fire-poker-planning"
    environment = "staging-eu-west1"
    extra_tags  = { Owner = "team-a" }
  }

  assert {
    condition     = length(output.names.alb) <= 32 && length(output.names.target_group) <= 32
    error_message = "ALB and target group names must be at most 32 characters"
  }
  assert {
    condition     = !endswith(output.names.alb, "--alb") && !endswith(output.names.target_group, "--tg")
    error_message = "a truncated prefix must not end with '-'"
  }
  assert {
    condition     = length(output.names.redis_cluster) <= 40
    error_message = "ElastiCache ids are at most 40 characters"
  }
  assert {
    condition     = output.tags["Owner"] == "team-a"
    error_message = "extra tags are kept"
  }
}

run "bad_environment_is_refused" {
  command = plan

  variables {
    environment = "Prod_1"
  }

  expect_failures = [var.environment]
}
