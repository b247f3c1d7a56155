using System.Text.Json;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

public sealed class ClaudeConformanceTests : ProviderConformanceTests
{
    internal override string Provider => ProviderIds.Claude;

    internal override string ChatPath => "/v1/messages";

    internal override string KeyVariable => "ANTHROPIC_API_KEY";

    internal override FakeResponse StreamText(IReadOnlyList<string> deltas, string finish, long input, long output) =>
        AnthropicWire.Stream(deltas, finish, input, output);

    internal override FakeResponse JsonText(string text, string finish, long input, long output) =>
        AnthropicWire.Json(text, finish, input, output);

    internal override FakeResponse Error(int status, string message, string code) => AnthropicWire.Error(status, code, message);

    internal override string WireFinish(string ours) => ours == "length" ? "max_tokens" : "end_turn";

    internal override void AssertSystemAndLimits(JsonElement body, string system, int maxTokens, float? temperature)
    {
        var sys = body.GetProperty("system");
        var text = sys.ValueKind == JsonValueKind.String ? sys.GetString() : string.Concat(sys.EnumerateArray().Select(b => b.GetProperty("text").GetString()));
        Assert.Equal(system, text);
        Assert.All(body.GetProperty("messages").EnumerateArray(), m => Assert.NotEqual("system", m.GetProperty("role").GetString()));
        Assert.Equal(maxTokens, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("test-model", body.GetProperty("model").GetString());
        AssertTemperature(body, temperature);
    }

    internal static void AssertTemperature(JsonElement holder, float? temperature)
    {
        if (temperature is null)
        {
            Assert.False(holder.TryGetProperty("temperature", out _), "temperature must not be sent");
        }
        else
        {
            Assert.Equal(temperature.Value, holder.GetProperty("temperature").GetSingle());
        }
    }

    [Fact]
    public async Task ApiKeyAndVersion_AreSentAsAnthropicExpects()
    {
        Server.Enqueue(AnthropicWire.Json("ok"));
        using var client = Client();

        await client.GetResponseAsync(Prompt());

        var request = Assert.Single(Server.Requests);
        Assert.True(request.Header("x-api-key") == SecretKey || request.Header("authorization") == "Bearer " + SecretKey);
        Assert.NotNull(request.Header("anthropic-version"));
    }

    [Fact]
    public async Task CacheWriteAndRead_AreSplitFromUncachedInput()
    {
        Server.Enqueue(AnthropicWire.Stream(["x"], input: 42, output: 311, cacheWrite: 1163, cacheRead: 18250),
            AnthropicWire.Json("x", input: 42, output: 311, cacheWrite: 1163, cacheRead: 18250));
        using var client = Client();

        var (_, streamed) = await StreamAsync(client);
        var whole = await client.GetResponseAsync(Prompt());

        Assert.Equal(new TokenUsage(42, 311, 1163, 18250), UsageMapper.FromResponse(streamed));
        Assert.Equal(new TokenUsage(42, 311, 1163, 18250), UsageMapper.FromResponse(whole));
    }

    [Fact]
    public async Task ErrorEventInTheMiddleOfTheStream_IsRetryableUnavailable()
    {
        var head = AnthropicWire.Stream(["partial "]);
        var text = System.Text.Encoding.UTF8.GetString(head.Body);
        var cut = text[..text.IndexOf("event: content_block_stop", StringComparison.Ordinal)] + AnthropicWire.ErrorEvent("overloaded_error", "Overloaded");
        Server.Enqueue(FakeResponse.Sse(cut));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.Contains("Overloaded", ex.Message, StringComparison.Ordinal);
    }
}
