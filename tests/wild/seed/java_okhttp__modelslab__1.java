import okhttp3.*;

public class DreamboothClient {
    private final OkHttpClient client = new OkHttpClient();

    public String generate(String prompt) throws Exception {
        MediaType mediaType = MediaType.parse("application/json");
        RequestBody body = RequestBody.create(mediaType,
            "{\"key\":\"Mt86JmLipQEMUFYgStcyS683vcVvSeXtBQYzqO2KZ9ZiBTSYu5UN85px6Hij\",\"model_id\":\"midjourney\",\"prompt\":\"" + prompt + "\",\"samples\":\"1\"}");
        Request request = new Request.Builder().url("https://stablediffusionapi.com/api/v4/dreambooth")
            .post(body).addHeader("Content-Type", "application/json").build();
        try (Response response = client.newCall(request).execute()) {
            return response.body().string();
        }
    }
}
