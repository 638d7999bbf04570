// Services/GetimgClient.cs
using System.Net.Http.Headers;

public sealed class GetimgClient
{
    private readonly HttpClient _http;

    public GetimgClient(HttpClient http, IConfiguration config)
    {
        _http = http;
        _http.BaseAddress = new Uri("https://api.getimg.ai/v2/");
        var apiKey = config["Getimg:ApiKey"] ?? Environment.GetEnvironmentVariable("GETIMG_API_KEY");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    // correlation ids seen in the sandbox run, kept for the replay test
    internal static readonly string[] SampleRequestIds = { "dac6e8df-6060-42b2-8104-95d471341a16", "a41f76a2-aa0f-4de3-bfaa-68bfe2b2c875" };
}
