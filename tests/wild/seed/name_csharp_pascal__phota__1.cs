using System.Net.Http;

const string PhotaKey = "VZdQvIO2U24OPcw90TYiIiK2a7w1fe65cw2JD3IDr8J";

var http = new HttpClient { BaseAddress = new Uri("https://api.photalabs.com/v1/phota/") };
http.DefaultRequestHeaders.Add("X-API-Key", PhotaKey);
var ids = await http.GetStringAsync("profiles/ids");
Console.WriteLine(ids);
