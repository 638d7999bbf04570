using System.Net.Http;
using System.Text;

using var client = new HttpClient();
client.DefaultRequestHeaders.Add("Authorization", "Bearer 1iONJRnoKm9FymN1fPdqynnHHuVosqXSsXuZmu6Y");
var content = new StringContent("{\"prompt\":\"aurora over fjord\",\"model\":\"imagen-v2\"}", Encoding.UTF8, "application/json");
var response = await client.PostAsync("https://api.imagen.ai/v1/text-to-image", content);
Console.WriteLine(response.StatusCode);
