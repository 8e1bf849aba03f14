terraform {
  required_version = ">= 1.6.0"

  # 5.100 is what scripts/check-deploy.sh validates and applies (mocked) against; 6.x changed
  # attributes these modules use and is not checked here.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # State in S3 with locking; the bucket and table are given at init:
  #   terraform init -backend-config=backend.hcl      (see backend.hcl.example)
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}
