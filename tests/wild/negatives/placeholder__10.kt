package com.example.photabooth

import okhttp3.Request

object PhotaApi {
    const val BASE = "https://api.photalabs.com/v1/phota/"
    // Injected by Gradle from local.properties: phota.apiKey=...
    private val apiKey: String = BuildConfig.PHOTA_API_KEY

    fun listProfiles(): Request = Request.Builder()
        .url(BASE + "profiles/ids")
        .header("X-API-Key", apiKey)
        .build()

    const val SAMPLE_HEADER = "X-API-Key: YOUR_PHOTA_API_KEY"
}
