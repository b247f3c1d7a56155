using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>Anthropic's <c>/v1/messages/count_tokens</c> over real HTTP against the fake server.</summary>
public sealed class AnthropicTokenCounterTests : IAsyncLifetime
{
    private const string Key = "sk-ant-test-SECRET-42";
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ProviderSettings Settings(string? baseUrl = null) => new()
    {
        Provider = ProviderIds.Claude,
        Model = "claude-sonnet-4-5",
        ApiKey = Key,
        BaseUrl = new Uri(baseUrl ?? _server.BaseUrl.ToString()),
        KeyVariable = "ANTHROPIC_API_KEY",
    };

    private static List<ChatMessage> Prompt() =>
    [
        new(ChatRole.System, "You write C#."),
        new(ChatRole.User, [new TextContent("stable project part"), new TextContent("the spec")]),
        new(ChatRole.Assistant, "earlier answer"),
        new(ChatRole.User, "add validation"),
    ];

    [Fact]
    public async Task PostsThePromptWithTheSameHeaders_AndReturnsInputTokens()
    {
        _server.Router = AnthropicWire.CountTokensRoute(_ => AnthropicWire.TokenCount(1873));
        using var counter = new AnthropicTokenCounter(Settings());

        var count = await counter.CountAsync(Prompt());

        Assert.Equal(1873, count);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/messages/count_tokens", request.Path);
        Assert.Equal(Key, request.Header("x-api-key"));
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        var body = request.Json;
        Assert.Equal("claude-sonnet-4-5", body.GetProperty("model").GetString());
        Assert.Equal("You write C#.", body.GetProperty("system")[0].GetProperty("text").GetString());
        var messages = body.GetProperty("messages");
        Assert.Equal(["user", "assistant", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(["stable project part", "the spec"], messages[0].GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString()));
        Assert.False(body.TryGetProperty("max_tokens", out _));
        Assert.False(body.TryGetProperty("stream", out _));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1/")]
    [InlineData("")]
    public async Task ABaseUrlEndingInV1_IsNotDoubled(string suffix)
    {
        _server.Router = AnthropicWire.CountTokensRoute(_ => AnthropicWire.TokenCount(5));
        using var counter = new AnthropicTokenCounter(Settings(_server.BaseUrl + suffix));

        Assert.Equal(5, await counter.CountAsync(Prompt()));
        Assert.Equal("/v1/messages/count_tokens", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task RejectedKey_IsAnAuthError_ThatNeverShowsTheKey()
    {
        _server.Router = AnthropicWire.CountTokensRoute(_ => AnthropicWire.Error(401, "authentication_error", "invalid x-api-key"));
        using var counter = new AnthropicTokenCounter(Settings());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => counter.CountAsync(Prompt()));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Contains("ANTHROPIC_API_KEY", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overloaded_IsRetryableUnavailable()
    {
        _server.Router = AnthropicWire.CountTokensRoute(_ => AnthropicWire.Error(529, "overloaded_error", "Overloaded"));
        using var counter = new AnthropicTokenCounter(Settings());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => counter.CountAsync(Prompt()));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public async Task AnswerWithoutInputTokens_IsReported()
    {
        _server.Router = AnthropicWire.CountTokensRoute(_ => FakeResponse.Json("{\"tokens\":3}"));
        using var counter = new AnthropicTokenCounter(Settings());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => counter.CountAsync(Prompt()));
        Assert.Contains("input_tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoServer_IsUnavailable()
    {
        var port = _server.BaseUrl.Port;
        await _server.DisposeAsync();
        _server = await FakeProviderServer.StartAsync();
        using var counter = new AnthropicTokenCounter(Settings($"http://127.0.0.1:{port}/"));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => counter.CountAsync(Prompt()));
        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
    }

    [Fact]
    public void MissingKey_IsAnAuthErrorBeforeAnyRequest()
    {
        var ex = Assert.Throws<SpecSynthException>(() => new AnthropicTokenCounter(Settings() with { ApiKey = null }));
        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task PromptCounter_AsksTheProviderOnlyNearTheLimit_OrWhenAskedTo()
    {
        using var remote = new AnthropicTokenCounter(Settings());
        var local = new CalibratedEstimator("claude", "claude-sonnet-4-5");
        var counter = new PromptTokenCounter(local, remote);
        var prompt = Prompt();
        var estimate = counter.Estimate(prompt);
        var actual = estimate * 3 / 2;
        _server.Router = AnthropicWire.CountTokensRoute(_ => AnthropicWire.TokenCount(actual));

        var far = await counter.CountAsync(prompt, limit: estimate * 10);
        Assert.Equal(new PromptTokenCount(estimate, false, estimate), far);
        Assert.Empty(_server.Requests);

        var near = await counter.CountAsync(prompt, limit: estimate + 1);
        Assert.Equal(new PromptTokenCount(actual, true, estimate), near);
        Assert.Single(_server.Requests);
        Assert.True(local.Factor > 1.0, "an exact count calibrates the estimator");

        var always = new PromptTokenCounter(new CalibratedEstimator("claude", "claude-sonnet-4-5"), remote, alwaysExact: true);
        Assert.True((await always.CountAsync(prompt, limit: int.MaxValue)).IsExact);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public void ExactLocalCounters_NeverAskTheProvider()
    {
        var counter = new PromptTokenCounter(TiktokenCounter.ForModel("gpt-4o")!, remote: null, alwaysExact: true);
        Assert.False(counter.NeedsExact(100, 100));
    }

    [Fact]
    public async Task ForPrompt_GivesClaudeTheEndpoint_AndOthersNone()
    {
        _server.Router = AnthropicWire.CountTokensRoute(_ => AnthropicWire.TokenCount(77));
        var (claude, remote) = TokenCounters.ForPrompt(Settings(), stateDir: null, exactTokens: true);
        using (remote)
        {
            Assert.NotNull(remote);
            Assert.Equal(new PromptTokenCount(77, true, claude.Estimate(Prompt())), await claude.CountAsync(Prompt(), limit: 1_000_000));
        }

        var (openai, none) = TokenCounters.ForPrompt(new ProviderSettings { Provider = ProviderIds.OpenAI, Model = "gpt-4o", ApiKey = Key }, null, exactTokens: true);
        Assert.Null(none);
        var count = await openai.CountAsync(Prompt(), limit: 10);
        Assert.True(count.IsExact);
        Assert.Single(_server.Requests);
    }
}
