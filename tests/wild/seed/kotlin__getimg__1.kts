plugins {
    id("com.android.application")
    kotlin("android")
}

android {
    namespace = "com.krate.create"
    defaultConfig {
        buildConfigField("String", "GETIMG_API_KEY", "\"sk_c3ihwirOHeyEV29w420vnD6ettPayirXMcHQKVPmdX7PvxV5\"")
    }
    buildFeatures { buildConfig = true }
}
