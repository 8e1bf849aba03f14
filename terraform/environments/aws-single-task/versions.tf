terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 7.0"
    }
  }

  # State in S3 with locking; the bucket and table are given at init:
  #   terraform init -backend-config=backend.hcl      (see backend.hcl.example)
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}
