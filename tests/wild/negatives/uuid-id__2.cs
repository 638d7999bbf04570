// Tests/ModelsLabWebhookTests.cs
public class ModelsLabWebhookTests
{
    private const string Endpoint = "https://modelslab.com/api/v6/images/text2img";
    private static readonly Guid TrackId = Guid.Parse("15bdd82d-e07b-440a-a989-d70a7dc0dd7f");
    private static readonly Guid TenantId = Guid.Parse("DD87796E-B6D1-4445-B22F-7581B6A89288");
    private const string PayloadSha1 = "2fcb72bc567ba7fdb3b1d73750342051ce26a32c";

    [Fact]
    public void Accepts_known_track_id()
    {
        var hook = new ModelsLabHook { Id = 518659510, TrackId = TrackId, Status = "success" };
        Assert.True(WebhookGuard.IsKnown(hook, TenantId));
    }
}
