variable "modelslab_api_key" {
  type      = string
  sensitive = true
}

resource "google_secret_manager_secret_version" "modelslab" {
  secret      = google_secret_manager_secret.modelslab.id
  secret_data = var.modelslab_api_key
}

resource "google_cloud_run_v2_service" "render" {
  name     = "render"
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/example/render/api@sha256:1006a62ea0709e2de2f8eaf3b1e2d5466853223ce08180b68b44b9033d0e77d5"
      env {
        name = "MODELSLAB_API_KEY"
        value_source {
          secret_key_ref { secret = google_secret_manager_secret.modelslab.secret_id, version = "latest" }
        }
      }
    }
  }
}
