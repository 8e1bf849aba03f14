# The same image, the same plugins and the same config file as on AWS, on Cloud Run:
#   redis_mode = "sidecar"      one instance with a Redis sidecar container (the ADR's shape)
#   redis_mode = "memorystore"  up to max_instances on Memorystore for Redis (the scale-out)
# Only the platform glue differs: Secret Manager instead of Secrets Manager, Direct VPC egress
# to Memorystore instead of a VPC with ElastiCache, Cloud Run's front end instead of an ALB.
module "naming" {
  source = "../../modules/naming"

  environment = var.environment
}

locals {
  name    = module.naming.prefix
  sidecar = var.redis_mode == "sidecar"
  webhook = var.webhook_url != ""
  secret_names = merge(
    { FP_RESUME_SECRET = "resume-secret", FP_SINKS_0_OPTIONS_TOKEN = "notion-token" },
    local.webhook ? { FP_SINKS_1_OPTIONS_SECRET = "webhook-secret" } : {},
    var.admin_api ? { FP_ADMIN_TOKEN = "admin-token" } : {},
  )
}

module "runtime" {
  source = "../../modules/app-runtime"

  config_path      = "/opt/fire-poker/share/fire-poker/configs/${local.webhook ? "aws-webhook.json" : "aws.json"}"
  redis_mode       = local.sidecar ? "sidecar" : "external"
  redis_url        = local.sidecar ? "" : "redis://${google_redis_instance.this[0].host}:${google_redis_instance.this[0].port}/0"
  redis_memory_mib = var.redis_memory_mib
  otlp_endpoint    = var.otlp_endpoint
  service_name     = local.name
  extra_environment = merge(
    var.notion_database_id != "" ? { FP_SINKS_0_OPTIONS_DATABASEID = var.notion_database_id } : {},
    var.notion_data_source_id != "" ? { FP_SINKS_0_OPTIONS_DATASOURCEID = var.notion_data_source_id } : {},
    local.webhook ? { FP_SINKS_1_OPTIONS_URL = var.webhook_url } : {},
  )
  secret_environment_names = keys(local.secret_names)
}

resource "google_project_service" "this" {
  for_each           = toset(["run.googleapis.com", "secretmanager.googleapis.com", "redis.googleapis.com", "compute.googleapis.com", "artifactregistry.googleapis.com"])
  service            = each.value
  disable_on_destroy = false
}

resource "google_artifact_registry_repository" "this" {
  repository_id = "fire-poker"
  location      = var.region
  format        = "DOCKER"
  description   = "Fire Poker images (the same OCI image as in ECR)"
  depends_on    = [google_project_service.this]
}

resource "google_service_account" "run" {
  account_id   = substr("${local.name}-run", 0, 30)
  display_name = "Fire Poker Cloud Run service"
}

# Secret containers only: the operator adds the values (gcloud secrets versions add).
resource "google_secret_manager_secret" "this" {
  for_each  = local.secret_names
  secret_id = "${local.name}-${each.value}"

  replication {
    auto {}
  }
  depends_on = [google_project_service.this]
}

resource "google_secret_manager_secret_iam_member" "run" {
  for_each  = google_secret_manager_secret.this
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.run.email}"
}

# --- Memorystore (redis_mode = "memorystore") --------------------------------------------------

resource "google_compute_network" "this" {
  count                   = local.sidecar ? 0 : 1
  name                    = local.name
  auto_create_subnetworks = false
  depends_on              = [google_project_service.this]
}

resource "google_compute_subnetwork" "this" {
  count         = local.sidecar ? 0 : 1
  name          = "${local.name}-run"
  network       = google_compute_network.this[0].id
  region        = var.region
  ip_cidr_range = "10.41.0.0/24"
}

resource "google_redis_instance" "this" {
  count              = local.sidecar ? 0 : 1
  name               = local.name
  tier               = "STANDARD_HA"
  memory_size_gb     = var.memorystore_size_gb
  region             = var.region
  redis_version      = "REDIS_7_2"
  authorized_network = google_compute_network.this[0].id
  connect_mode       = "DIRECT_PEERING"
  redis_configs = {
    maxmemory-policy = "noeviction"
  }
  persistence_config {
    persistence_mode = "DISABLED"
  }
  depends_on = [google_project_service.this]
}

# --- the service -------------------------------------------------------------------------------

resource "google_cloud_run_v2_service" "this" {
  name                = local.name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = false

  template {
    service_account                  = google_service_account.run.email
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    timeout                          = "3600s" # a WebSocket lives at most this long; clients resume
    session_affinity                 = true
    max_instance_request_concurrency = 1000

    scaling {
      min_instance_count = 1
      max_instance_count = local.sidecar ? 1 : var.max_instances
    }

    dynamic "vpc_access" {
      for_each = local.sidecar ? [] : [1]
      content {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.this[0].id
          subnetwork = google_compute_subnetwork.this[0].id
        }
      }
    }

    containers {
      name       = "server"
      image      = var.image
      args       = module.runtime.command
      depends_on = local.sidecar ? ["redis"] : []

      ports {
        name           = "http1"
        container_port = module.runtime.port
      }

      dynamic "env" {
        for_each = module.runtime.environment
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = google_secret_manager_secret.this
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = env.value.secret_id
              version = "latest"
            }
          }
        }
      }

      resources {
        limits            = { cpu = var.server_cpu, memory = var.server_memory }
        cpu_idle          = false # heartbeats and deliveries to Notion run between requests
        startup_cpu_boost = true
      }

      startup_probe {
        period_seconds    = 2
        failure_threshold = 30
        http_get {
          path = module.runtime.health_path
          port = module.runtime.port
        }
      }

      liveness_probe {
        period_seconds    = 10
        failure_threshold = 3
        http_get {
          path = module.runtime.health_path
          port = module.runtime.port
        }
      }
    }

    dynamic "containers" {
      for_each = local.sidecar ? [1] : []
      content {
        name  = "redis"
        image = var.redis_image
        args  = module.runtime.redis_command

        resources {
          limits   = { cpu = var.redis_cpu, memory = "${var.redis_memory_mib}Mi" }
          cpu_idle = false
        }

        startup_probe {
          period_seconds    = 1
          failure_threshold = 30
          tcp_socket {
            port = 6379
          }
        }
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.run, google_project_service.this]
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  count    = var.allow_unauthenticated ? 1 : 0
  name     = google_cloud_run_v2_service.this.name
  location = google_cloud_run_v2_service.this.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}
