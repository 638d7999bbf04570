package com.example.render;

import java.net.URI;
import java.net.http.HttpRequest;

public final class ImagenRequests {
    private static final URI TEXT_TO_IMAGE = URI.create("https://api.imagen.ai/v1/text-to-image");
    private static final String API_KEY = System.getenv("IMAGEN_API_KEY");
    // SHA-256 of the golden image used by ImagenRequestsTest
    static final String GOLDEN_SHA256 = "d31428f16f2dd1b5221d14795c89db7c9d5308c47fa85396bf07fe0ccd485471";

    static HttpRequest textToImage(String json) {
        return HttpRequest.newBuilder(TEXT_TO_IMAGE)
            .header("Authorization", "Bearer " + API_KEY)
            .header("Idempotency-Key", "9a4fb152-e54b-4682-bf21-6af119d98a97")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    }
}
