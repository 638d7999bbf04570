import okhttp3.OkHttpClient;
import okhttp3.Request;

public class PhotaProfiles {
    public static void main(String[] args) throws Exception {
        OkHttpClient client = new OkHttpClient();
        Request request = new Request.Builder()
            .url("https://api.photalabs.com/v1/phota/profiles/ids")
            .header("X-API-Key", "6PPzw4kQpMpwP66yFNGk7Rya-L0Vn14qvJAs1y3lw4H")
            .build();
        System.out.println(client.newCall(request).execute().body().string());
    }
}
