using Anthropic.Core;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>The Anthropic SDK client keeps one raw-response client for its requests (the SDK made a new one, with an HTTP
/// client of its own, per request) and still sends what the SDK sent: the request timeout, key and body.</summary>
public sealed class AnthropicSdkClientTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void TheRawClient_AnswersAModifierThatKeepsItsOptions_WithItself_AndOneThatChangesThem_WithANewClient()
    {
        var options = new ClientOptions { ApiKey = "sk-test", BaseUrl = "http://127.0.0.1:9", MaxRetries = 0, Timeout = TimeSpan.FromSeconds(42) };
        using var raw = new AnthropicSdkRawClient(options);

        // What the SDK's message service asks for each request: its timeout when none is set.
        Assert.Same(raw, raw.WithOptions(o => o with { Timeout = o.Timeout ?? TimeSpan.FromMinutes(10) }));
        var other = raw.WithOptions(o => o with { Timeout = TimeSpan.FromSeconds(7) });
        Assert.NotSame(raw, other);
        Assert.IsNotType<AnthropicSdkRawClient>(other);
    }

    [Fact]
    public void TheClient_HasOneRawClient()
    {
        using var client = new AnthropicSdkClient(new ClientOptions { ApiKey = "sk-test", BaseUrl = "http://127.0.0.1:9", Timeout = TimeSpan.FromSeconds(42) });

        Assert.IsType<AnthropicSdkRawClient>(client.WithRawResponse);
        Assert.Same(client.WithRawResponse, client.WithRawResponse);
    }

    [Fact]
    public async Task OverHttp_EveryRequest_CarriesTheConfiguredTimeoutAndKey_AndTheSameBody()
    {
        _server.Enqueue(AnthropicWire.Stream(["a"]), AnthropicWire.Stream(["b"]), AnthropicWire.Json("c"));
        using var client = ProviderClientFactory.Create(new ProviderSettings
        {
            Provider = ProviderIds.Claude,
            Model = "test-model",
            ApiKey = ProviderConformanceTests.SecretKey,
            BaseUrl = _server.BaseUrl,
            MaxOutputTokens = 100,
            RequestTimeout = TimeSpan.FromSeconds(77),
        });
        List<ChatMessage> prompt = [new(ChatRole.System, "You write C#."), new(ChatRole.User, "Write gcd.")];

        await foreach (var _ in client.GetStreamingResponseAsync(prompt))
        {
        }
        await foreach (var _ in client.GetStreamingResponseAsync(prompt))
        {
        }
        await client.GetResponseAsync(prompt);

        Assert.Equal(3, _server.Requests.Count);
        Assert.All(_server.Requests, r =>
        {
            Assert.Equal("77", r.Header("x-stainless-timeout"));
            Assert.Equal(ProviderConformanceTests.SecretKey, r.Header("x-api-key"));
        });
        Assert.Equal(_server.Requests[0].Body, _server.Requests[1].Body);
    }
}
