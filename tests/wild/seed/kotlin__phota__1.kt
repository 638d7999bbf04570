package com.profilepic.net

import okhttp3.OkHttpClient
import okhttp3.Request

object PhotaService {
    private const val BASE = "https://api.photalabs.com/v1/phota"
    private val client = OkHttpClient()

    fun profiles(): String? = client.newCall(
        Request.Builder().url("$BASE/profiles/ids").header("X-API-Key", "2Tnos2ZAZSSjzeHR1kUBFwgBDbhvErpOJKyIY25JJiW").build()
    ).execute().body?.string()
}
