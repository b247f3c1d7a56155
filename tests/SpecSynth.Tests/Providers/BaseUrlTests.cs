using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

public sealed class BaseUrlTests : IAsyncLifetime
{
    private FakeProviderServer server = null!;

    public async Task InitializeAsync() => server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("v1", "/v1/chat/completions")]
    [InlineData("v1/", "/v1/chat/completions")]
    [InlineData("api/openai/v1", "/api/openai/v1/chat/completions")]
    public async Task OpenAIBaseUrl_IsUsedAsTheEndpointPrefix(string relative, string expectedPath)
    {
        server.Enqueue(OpenAIWire.Json("ok"));
        using var client = ProviderClientFactory.Create(new ProviderSettings { Provider = "openai", Model = "gpt-4.1", ApiKey = "k", BaseUrl = server.Url(relative) });

        await client.GetResponseAsync("hi");

        Assert.Equal(expectedPath, Assert.Single(server.Requests).Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("v1/")]
    public async Task AnthropicBaseUrl_WithOrWithoutV1_ReachesMessages(string relative)
    {
        server.Enqueue(AnthropicWire.Json("ok"));
        using var client = ProviderClientFactory.Create(new ProviderSettings { Provider = "claude", Model = "claude-haiku-4-5", ApiKey = "sk-ant-k", BaseUrl = server.Url(relative) });

        await client.GetResponseAsync("hi");

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal("sk-ant-k", request.Header("x-api-key"));
    }

    [Fact]
    public async Task OllamaBaseUrl_WithAPath_KeepsIt()
    {
        server.Enqueue(OllamaWire.Json("ok"));
        using var client = ProviderClientFactory.Create(new ProviderSettings { Provider = "ollama", Model = "llama3", BaseUrl = server.Url("proxy/ollama") });

        await client.GetResponseAsync("hi");

        Assert.Equal("/proxy/ollama/api/chat", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task ACallerSuppliedHttpClient_IsUsed_AndErrorsAreStillTranslated()
    {
        using var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        server.Enqueue(AnthropicWire.Error(529, "overloaded_error", "Overloaded").WithHeader("retry-after", "3"));
        using var client = ProviderClientFactory.Create(new ProviderSettings { Provider = "claude", Model = "claude-haiku-4-5", ApiKey = "k", BaseUrl = server.BaseUrl }, http);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(1, handler.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        Assert.Equal(529, ex.StatusCode);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public CountingHandler() : base(new SocketsHttpHandler())
        {
        }

        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
