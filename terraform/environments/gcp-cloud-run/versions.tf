terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 5.30, < 7.0"
    }
  }

  # State in a GCS bucket: terraform init -backend-config="bucket=my-state-bucket"
  backend "gcs" {
    prefix = "fire-poker/gcp-cloud-run"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
