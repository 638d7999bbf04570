environment = "staging"

secrets = {
  IMAGEN_API_KEY = "9wtdgmUV0j8Os9fdMY4jlGUs9ZnH4aN8TTuIZnT0"
  SENTRY_ENV     = "staging"
}
