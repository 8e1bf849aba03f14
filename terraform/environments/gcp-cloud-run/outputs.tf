output "url" {
  description = "The service's URL (map a custom domain to it with Cloud Run domain mappings or a load balancer)."
  value       = google_cloud_run_v2_service.this.uri
}

output "artifact_registry" {
  description = "Push the image here: <region>-docker.pkg.dev/<project>/fire-poker/fire-poker:<tag>."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.this.repository_id}"
}

output "secret_ids" {
  description = "Secret Manager secrets whose values you add, by environment variable."
  value       = { for name, s in google_secret_manager_secret.this : name => s.secret_id }
}

output "redis_url" {
  description = "Redis the service uses."
  value       = module.runtime.redis_url
}
