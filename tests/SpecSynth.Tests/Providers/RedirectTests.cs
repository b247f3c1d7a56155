using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>
/// A base URL that answers with a redirect to another host: the requests with the key are not repeated there (.NET would
/// drop only <c>Authorization</c>, keeping <c>x-api-key</c>, <c>api-key</c> and, on 307/308, the prompt), and the call fails
/// as a configuration error naming the redirect and the variable to change. The other host serves real replies, so a
/// followed redirect would succeed.
/// </summary>
public sealed class RedirectTests : IAsyncLifetime
{
    private const string Key = "sk-SECRET-redirect-5e1d9a7c";

    private FakeProviderServer configured = null!;
    private FakeProviderServer elsewhere = null!;

    public static TheoryData<string, int, bool> ProvidersStatusesAndStreaming()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var provider in new[] { ProviderIds.Claude, ProviderIds.OpenAI, ProviderIds.Azure, ProviderIds.Ollama })
        {
            foreach (var status in new[] { 302, 307, 308 })
            {
                data.Add(provider, status, true);
                data.Add(provider, status, false);
            }
        }
        return data;
    }

    public async Task InitializeAsync()
    {
        configured = await FakeProviderServer.StartAsync();
        elsewhere = await FakeProviderServer.StartAsync();
        configured.Router = request => RedirectToElsewhere(307, request);
    }

    public async Task DisposeAsync()
    {
        await configured.DisposeAsync();
        await elsewhere.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(ProvidersStatusesAndStreaming))]
    public async Task ChatCall_IsNotRedirected_AndFailsAsAConfigurationErrorNamingTheBaseUrlVariable(string provider, int status, bool stream)
    {
        configured.Router = request => RedirectToElsewhere(status, request);
        elsewhere.Router = request => Reply(provider, request, stream);
        using var client = ProviderClientFactory.Create(Settings(provider));

        var thrown = await Record.ExceptionAsync(async () =>
        {
            if (stream)
            {
                await foreach (var update in client.GetStreamingResponseAsync("hi"))
                {
                    _ = update;
                }
            }
            else
            {
                await client.GetResponseAsync("hi");
            }
        });

        Assert.Empty(elsewhere.Requests);
        Assert.Single(configured.Requests);
        var ex = Assert.IsType<ProviderException>(thrown);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.False(ex.IsRetryable);
        Assert.Contains($"answered HTTP {status} with a redirect to {elsewhere.BaseUrl.GetLeftPart(UriPartial.Authority)}/", ex.Message,
            StringComparison.Ordinal);
        Assert.Contains("specsynth does not follow redirects", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"set {BaseUrlVariable(provider)} ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectMessage_MasksTheLocation_AndNeverShowsTheKeyEchoedIntoIt()
    {
        configured.Router = _ => FakeResponse.Json("", 307).WithHeader("location", $"https://collector.example/v1/{Key}/messages?api_key={Key}");
        using var client = ProviderClientFactory.Create(Settings(ProviderIds.Claude));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Contains("with a redirect to https://collector.example/v1/", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelativeLocation_IsShownResolvedAgainstTheConfiguredAddress()
    {
        configured.Router = request => request.Path.StartsWith("/moved", StringComparison.Ordinal)
            ? null
            : FakeResponse.Json("", 308).WithHeader("location", "/moved" + request.Path);
        using var client = ProviderClientFactory.Create(Settings(ProviderIds.OpenAI));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Single(configured.Requests);
        Assert.Contains($"with a redirect to {configured.Url("moved/v1/chat/completions").AbsoluteUri};", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCount_IsNotRedirected_AndFailsAsAConfigurationError()
    {
        elsewhere.Router = _ => AnthropicWire.TokenCount(42);
        using var counter = new AnthropicTokenCounter(Settings(ProviderIds.Claude));

        var thrown = await Record.ExceptionAsync(() => counter.CountAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Empty(elsewhere.Requests);
        var ex = Assert.IsType<ProviderException>(thrown);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("does not follow redirects", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ANTHROPIC_BASE_URL", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderIds.Claude)]
    [InlineData(ProviderIds.OpenAI)]
    [InlineData(ProviderIds.Ollama)]
    public async Task ModelListing_IsNotRedirected_AndFailsAsAConfigurationError(string provider)
    {
        elsewhere.Router = request => Reply(provider, request, stream: false);

        var thrown = await Record.ExceptionAsync(() => ProviderModelLister.ListAsync(Settings(provider), _ => null, TimeProvider.System, default));

        Assert.Empty(elsewhere.Requests);
        var ex = Assert.IsType<SpecSynthException>(thrown);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("does not follow redirects", ex.Message, StringComparison.Ordinal);
        Assert.Contains(BaseUrlVariable(provider), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OllamaModelInfo_IsNotRedirected_AndFailsAsAConfigurationError()
    {
        elsewhere.Router = request => Reply(ProviderIds.Ollama, request, stream: false);

        var thrown = await Record.ExceptionAsync(() => OllamaModelInfo.GetAsync(Settings(ProviderIds.Ollama)));

        Assert.Empty(elsewhere.Requests);
        var ex = Assert.IsType<ProviderException>(thrown);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("OLLAMA_HOST", ex.Message, StringComparison.Ordinal);
    }

    private ProviderSettings Settings(string provider) => new()
    {
        Provider = provider,
        Model = provider switch
        {
            ProviderIds.Claude => "claude-haiku-4-5",
            ProviderIds.Ollama => "llama3",
            _ => "gpt-4.1",
        },
        ApiKey = Key,
        BaseUrl = provider == ProviderIds.OpenAI ? configured.Url("v1") : configured.BaseUrl,
    };

    private FakeResponse RedirectToElsewhere(int status, RecordedRequest request) =>
        FakeResponse.Json("", status).WithHeader("location", new Uri(elsewhere.BaseUrl, request.Path.TrimStart('/') + request.Query).AbsoluteUri);

    /// <summary>What the provider would answer: a chat reply, a model list, Ollama's tags and show.</summary>
    private static FakeResponse Reply(string provider, RecordedRequest request, bool stream) => request.Path switch
    {
        "/api/tags" => OllamaWire.Tags("llama3"),
        "/api/show" => OllamaWire.Show("llama", 8192),
        _ when request.Path.EndsWith("/models", StringComparison.Ordinal) => FakeResponse.Json("""{"data":[{"id":"m1"}],"has_more":false}"""),
        _ => provider switch
        {
            ProviderIds.Claude => stream ? AnthropicWire.Stream(["o", "k"]) : AnthropicWire.Json("ok"),
            ProviderIds.Ollama => stream ? OllamaWire.Stream(["o", "k"]) : OllamaWire.Json("ok"),
            _ => stream ? OpenAIWire.Stream(["o", "k"]) : OpenAIWire.Json("ok"),
        },
    };

    private static string BaseUrlVariable(string provider) => provider switch
    {
        ProviderIds.Claude => "ANTHROPIC_BASE_URL",
        ProviderIds.OpenAI => "OPENAI_BASE_URL",
        ProviderIds.Azure => "AZURE_OPENAI_ENDPOINT",
        _ => "OLLAMA_HOST",
    };
}
