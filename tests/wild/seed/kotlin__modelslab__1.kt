package app.dreamcanvas.data

private const val MODELSLAB_KEY = "UXPhPaJrdglKhpd9rnX4JcCjpmOlR0FJy8FhdbDfi3uQ2OpyDG6ahV9iGK3o"

data class Text2ImgBody(
    val key: String = MODELSLAB_KEY,
    val prompt: String,
    val width: String = "512",
    val height: String = "512",
)

interface ModelsLabApi {
    @retrofit2.http.POST("api/v6/images/text2img")
    suspend fun text2img(@retrofit2.http.Body body: Text2ImgBody): Map<String, Any>
}
