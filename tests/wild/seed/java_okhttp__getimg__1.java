import okhttp3.*;

public class GetimgApi {
    private static final OkHttpClient http = new OkHttpClient();

    public static Response balance() throws java.io.IOException {
        Request req = new Request.Builder()
            .url("https://api.getimg.ai/v2/billing/balance")
            .addHeader("Authorization", "Bearer sk_PAVzxvvzzvARV7Gnr4X5y9BXdyzvN9au1XTq2hNGeAnoT92A")
            .get()
            .build();
        return http.newCall(req).execute();
    }
}
