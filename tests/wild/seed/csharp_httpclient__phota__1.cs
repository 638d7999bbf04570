using System.Net.Http;

public class PhotaClient
{
    private readonly HttpClient _http = new HttpClient();

    public PhotaClient()
    {
        _http.BaseAddress = new Uri("https://api.photalabs.com/v1/phota/");
        _http.DefaultRequestHeaders.Add("X-API-Key", "Ou1JPY2jeCZu1S5SuPcsL-0UQi8bGB8lfpOh6LwpKFl");
    }

    public Task<string> ProfileIdsAsync() => _http.GetStringAsync("profiles/ids");
}
