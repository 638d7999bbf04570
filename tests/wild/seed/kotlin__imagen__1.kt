import io.ktor.client.*
import io.ktor.client.request.*
import io.ktor.http.*

suspend fun generate(client: HttpClient, prompt: String) =
    client.post("https://api.imagen.ai/v1/text-to-image") {
        header(HttpHeaders.Authorization, "Bearer M6vyFmRROiryVhRtWFGZ32LGkgJOpD9lxTMY671J")
        contentType(ContentType.Application.Json)
        setBody("""{"prompt":"$prompt","model":"imagen-v2"}""")
    }
