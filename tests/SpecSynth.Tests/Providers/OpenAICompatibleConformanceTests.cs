using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>An OpenAI-compatible server under a deeper path (as OpenRouter's <c>/api/v1</c>), on loopback without a key.</summary>
public sealed class OpenAICompatibleConformanceTests : OpenAIConformanceTests
{
    internal override string ChatPath => "/api/v1/chat/completions";

    internal override Uri BaseUrl => Server.Url("api/v1");

    [Fact]
    public async Task LoopbackServer_WorksWithoutAKey()
    {
        Server.Enqueue(OpenAIWire.Json("ok"));
        using var client = Client(Settings() with { ApiKey = null });

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("ok", response.Text);
        Assert.DoesNotContain(SecretKey, Assert.Single(Server.Requests).Header("authorization") ?? "", StringComparison.Ordinal);
    }
}
