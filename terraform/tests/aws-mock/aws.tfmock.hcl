# Values for the mocked hashicorp/aws provider of the environments' terraform tests
# (terraform/environments/aws-*/tests). A mocked provider invents random strings for computed
# attributes; where the provider validates a value (ARNs, policy JSON) or the modules compute
# with it (availability zones, the ElastiCache endpoint in the server's Redis URL), it gets a
# value of the real shape here. Every instance of a resource type gets the same value.

mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fire-poker-prod/mocked-AbCdEf" }
}

mock_resource "aws_lb" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/fire-poker-prod-alb/0123456789abcdef"
    arn_suffix = "app/fire-poker-prod-alb/0123456789abcdef"
    dns_name   = "fire-poker-prod-alb-1234567890.eu-west-1.elb.amazonaws.com"
    zone_id    = "Z32O12XQLNTSW2"
  }
}

mock_resource "aws_lb_target_group" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/fire-poker-prod-tg/fedcba9876543210"
    arn_suffix = "targetgroup/fire-poker-prod-tg/fedcba9876543210"
  }
}

mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/fire-poker-prod-alb/0123456789abcdef/0123456789abcdef" }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:fire-poker-prod-alarms" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/fire-poker-prod-mocked" }
}

mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

mock_resource "aws_ecs_cluster" {
  defaults = {
    arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/fire-poker-prod"
    id  = "arn:aws:ecs:eu-west-1:123456789012:cluster/fire-poker-prod"
  }
}

mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/fire-poker-prod:1" }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/fire-poker"
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fire-poker"
  }
}

mock_resource "aws_elasticache_replication_group" {
  defaults = {
    arn                      = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:fire-poker-prod-redis"
    primary_endpoint_address = "master.fire-poker-prod-redis.abc123.euw1.cache.amazonaws.com"
  }
}
