using System.Text.Json;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

public class OpenAIConformanceTests : ProviderConformanceTests
{
    internal override string Provider => ProviderIds.OpenAI;

    internal override string ChatPath => "/v1/chat/completions";

    internal override string KeyVariable => "OPENAI_API_KEY";

    internal override Uri BaseUrl => Server.Url("v1");

    internal override FakeResponse StreamText(IReadOnlyList<string> deltas, string finish, long input, long output) =>
        OpenAIWire.Stream(deltas, finish, input, output);

    internal override FakeResponse JsonText(string text, string finish, long input, long output) =>
        OpenAIWire.Json(text, finish, input, output);

    internal override FakeResponse Error(int status, string message, string code) => OpenAIWire.Error(status, message, code, code);

    internal override string WireFinish(string ours) => ours;

    internal override void AssertSystemAndLimits(JsonElement body, string system, int maxTokens, float? temperature)
    {
        var first = body.GetProperty("messages")[0];
        Assert.Equal("system", first.GetProperty("role").GetString());
        var content = first.GetProperty("content");
        var text = content.ValueKind == JsonValueKind.String ? content.GetString() : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        Assert.Equal(system, text);
        Assert.Equal(maxTokens, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_tokens", out _), "max_tokens is deprecated and rejected by reasoning models");
        Assert.Equal("test-model", body.GetProperty("model").GetString());
        ClaudeConformanceTests.AssertTemperature(body, temperature);
    }

    [Fact]
    public async Task BearerKey_IsSent()
    {
        Server.Enqueue(OpenAIWire.Json("ok"));
        using var client = Client();

        await client.GetResponseAsync(Prompt());

        Assert.Equal("Bearer " + SecretKey, Assert.Single(Server.Requests).Header("authorization"));
    }

    [Fact]
    public async Task Streaming_AsksForTheUsageChunk()
    {
        Server.Enqueue(OpenAIWire.Stream(["ok"]));
        using var client = Client();

        await StreamAsync(client);

        var body = Assert.Single(Server.Requests).Json;
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }
}
