using System.Net.Http;

public class GetimgService
{
    private static readonly string GetimgApiKey = "sk_XxKkQtzLQAhTYZVTgJyDgt3S5EmcQgqLywSWB8LvR5jGrgtm";
    private const string BaseUrl = "https://api.getimg.ai/v1/";
    private readonly HttpClient _http = new HttpClient();
}
