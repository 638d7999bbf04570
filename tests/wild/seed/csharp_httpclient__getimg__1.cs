using System.Net.Http;
using System.Net.Http.Headers;

public static class GetimgHttp
{
    public static HttpClient Create()
    {
        var client = new HttpClient { BaseAddress = new Uri("https://api.getimg.ai/") };
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", "sk_Ih0A8jsNRvZ6nnU3kcq5mis5vfckQ0N039L4U2Ax3OUrPOiJ");
        return client;
    }
}
