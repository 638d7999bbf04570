using System.Net.Http;
using System.Net.Http.Json;

var http = new HttpClient();
var body = new
{
    key = "6a8qq3FIrg8p85QwwS8fCXVc3QyjTiikoWMn57RRrmN3sKQynPiyHqPYYygY",
    prompt = "cozy cabin, warm light",
    model_id = "flux",
    samples = "1"
};
var res = await http.PostAsJsonAsync("https://modelslab.com/api/v6/images/text2img", body);
Console.WriteLine(await res.Content.ReadAsStringAsync());
