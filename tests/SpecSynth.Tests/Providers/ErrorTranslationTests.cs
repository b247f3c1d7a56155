using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

public sealed class ErrorTranslationTests : IAsyncLifetime
{
    private FakeProviderServer server = null!;

    public async Task InitializeAsync() => server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private ProviderSettings OpenAI(string model = "gpt-4.1") =>
        new() { Provider = "openai", Model = model, ApiKey = "sk-proj-ECHOED-SECRET", BaseUrl = server.Url("v1"), KeyVariable = "OPENAI_API_KEY" };

    [Fact]
    public async Task AKeyEchoedByTheServer_IsRedactedFromTheMessage()
    {
        server.Enqueue(OpenAIWire.Error(401, "Incorrect API key provided: sk-proj-ECHOED-SECRET.", "invalid_request_error", "invalid_api_key"));
        using var client = ProviderClientFactory.Create(OpenAI());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.DoesNotContain("ECHOED-SECRET", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryAfterAsAnHttpDate_IsMeasuredWithTheGivenClock()
    {
        var now = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        server.Enqueue(OpenAIWire.Error(503, "busy", "server_error", null).WithHeader("retry-after", now.AddSeconds(30).ToString("r")));
        using var client = ProviderClientFactory.Create(OpenAI(), time: new FakeTimeProvider(now));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task QuotaExhausted429_IsNotRetryable()
    {
        server.Enqueue(OpenAIWire.Error(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota"));
        using var client = ProviderClientFactory.Create(OpenAI());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.False(ex.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ReasoningModels_GetNoTemperature_EvenWhenConfigured()
    {
        server.Enqueue(OpenAIWire.Json("ok"));
        using var client = ProviderClientFactory.Create(OpenAI("o4-mini") with { Temperature = 0.2f });

        await client.GetResponseAsync("hi");

        Assert.False(Assert.Single(server.Requests).Json.TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task CallOptions_WinOverSettings()
    {
        server.Enqueue(OpenAIWire.Json("ok"));
        using var client = ProviderClientFactory.Create(OpenAI() with { MaxOutputTokens = 100 });

        await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 55, ModelId = "gpt-4o" });

        var body = Assert.Single(server.Requests).Json;
        Assert.Equal(55, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task SlowServer_HitsTheRequestTimeout_AsRetryableUnavailable()
    {
        server.Enqueue(OpenAIWire.Json("ok") with { ChunkSizes = [1], DelayPerChunk = TimeSpan.FromMilliseconds(200) });
        using var client = ProviderClientFactory.Create(OpenAI() with { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public async Task CallerCancellation_IsNotTranslated()
    {
        server.Enqueue(OpenAIWire.Json("ok") with { ChunkSizes = [1], DelayPerChunk = TimeSpan.FromMilliseconds(200) });
        using var client = ProviderClientFactory.Create(OpenAI());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: cts.Token));
    }
}
