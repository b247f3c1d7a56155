using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Middleware;

public sealed class ContinuationAndFallbackTests
{
    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task ReplyCutAtMaxTokens_IsContinuedAndStitchedExactly(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        server.Enqueue(ProviderWire.Reply(provider, "public int Add(int a, ", stream: false, cut: true),
            ProviderWire.Reply(provider, "int b) => a + b;", stream: false));
        var client = h.Build(h.Link(provider, server));

        var response = await h.AskAsync(client);

        Assert.Equal("public int Add(int a, int b) => a + b;", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(1, Assert.Single(h.Events("continuation")).Attempt);
        var second = server.Requests.Where(ProviderWire.IsChat).Last().Body;
        Assert.Contains("public int Add(int a,", second, StringComparison.Ordinal); // Anthropic's adapter trims the turn's trailing space
        Assert.Contains("Continue exactly where you stopped", second, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task StreamedReplyCutAtMaxTokens_IsContinuedAndStitchedExactly(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        server.Enqueue(ProviderWire.Reply(provider, "first half, ", stream: true, cut: true),
            ProviderWire.Reply(provider, "second half, ", stream: true, cut: true),
            ProviderWire.Reply(provider, "the end.", stream: true));
        var client = h.Build(h.Link(provider, server));

        var (response, _, _) = await h.StreamAsync(client);

        Assert.Equal("first half, second half, the end.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal([1, 2], h.Events("continuation").Select(e => e.Attempt!.Value));
    }

    [Fact]
    public async Task ReplyStillCutAfterTheLastRound_KeepsFinishReasonLength()
    {
        await using var h = new Harness();
        h.Options = h.Options with { Continuation = new ContinuationOptions { MaxRounds = 2 } };
        var server = await h.ServerAsync();
        server.Enqueue(ProviderWire.Reply("openai", "a", false, cut: true), ProviderWire.Reply("openai", "b", false, cut: true),
            ProviderWire.Reply("openai", "c", false, cut: true), ProviderWire.Reply("openai", "never asked", false));
        var client = h.Build(h.Link("openai", server));

        var response = await h.AskAsync(client);

        Assert.Equal("abc", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(3, h.Arrivals(server).Count);
    }

    [Fact]
    public async Task AllTransientOnTheFirstProvider_FallsBackToTheNext()
    {
        await using var h = new Harness();
        var claude = await h.ServerAsync();
        claude.Fallback = ProviderWire.Error("claude", 529, "Overloaded");
        var openai = await h.ServerAsync();
        openai.Enqueue(ProviderWire.Reply("openai", "from openai", stream: false));
        var client = h.Build(h.Link("claude", claude), h.Link("openai", openai));

        var response = await h.AskAsync(client);

        Assert.Equal("from openai", response.Text);
        Assert.Equal("openai", response.AdditionalProperties![ResiliencePipeline.ProviderProperty]);
        var skipped = Assert.IsType<string[]>(response.AdditionalProperties[ResiliencePipeline.SkippedProperty]);
        Assert.StartsWith("claude: ", Assert.Single(skipped), StringComparison.Ordinal);
        Assert.Contains("gave up after 4 attempts", skipped[0], StringComparison.Ordinal);
        Assert.Equal(4, h.Arrivals(claude).Count);
        Assert.Equal("claude", Assert.Single(h.Events("fallback")).Provider);
    }

    [Fact]
    public async Task StreamingFallback_NamesTheProviderOnTheResponse()
    {
        await using var h = new Harness();
        var ollama = await h.ServerAsync();
        ollama.Fallback = ProviderWire.Error("ollama", 404, "model 'qwen2.5-coder:7b' not found");
        var claude = await h.ServerAsync();
        claude.Enqueue(ProviderWire.Reply("claude", "streamed by claude", stream: true));
        var client = h.Build(h.Link("ollama", ollama), h.Link("claude", claude));

        var (response, restarts, answeredBy) = await h.StreamAsync(client);

        Assert.Equal("streamed by claude", response.Text);
        Assert.Equal(0, restarts);
        // ToChatResponse drops update properties: a streaming caller reads them from the updates.
        Assert.Equal("claude", answeredBy);
        Assert.Empty(h.Events("retry"));
    }

    [Fact]
    public async Task AuthFailureOnTheFirstProvider_FallsBackWithoutRetrying()
    {
        await using var h = new Harness();
        var openai = await h.ServerAsync();
        openai.Enqueue(ProviderWire.Error("openai", 401, "Incorrect API key provided"));
        var ollama = await h.ServerAsync();
        ollama.Enqueue(ProviderWire.Reply("ollama", "local answer", stream: false));
        var client = h.Build(h.Link("openai", openai), h.Link("ollama", ollama));

        var response = await h.AskAsync(client);

        Assert.Equal("local answer", response.Text);
        Assert.Single(h.Arrivals(openai));
    }

    [Fact]
    public async Task AllProvidersFailing_IsProviderUnavailable_NamingEachFailure()
    {
        await using var h = new Harness();
        var claude = await h.ServerAsync();
        claude.Fallback = ProviderWire.Error("claude", 401, "invalid x-api-key");
        var openai = await h.ServerAsync();
        openai.Fallback = ProviderWire.Error("openai", 503, "The engine is currently overloaded");
        var client = h.Build(h.Link("claude", claude), h.Link("openai", openai));

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => h.AskAsync(client));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.Contains("claude: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("openai: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("overloaded", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, h.Arrivals(openai).Count);
    }

    [Fact]
    public async Task PromptTooLong_IsAContextTooLongException_WithoutRetryOrFallback()
    {
        await using var h = new Harness();
        var claude = await h.ServerAsync();
        claude.Enqueue(ProviderWire.Error("claude", 400, "prompt is too long: 210000 tokens > 200000 maximum"));
        var openai = await h.ServerAsync();
        var client = h.Build(h.Link("claude", claude), h.Link("openai", openai));

        var ex = await Assert.ThrowsAsync<ContextTooLongException>(() => h.AskAsync(client));

        Assert.Equal("claude", ex.Provider);
        Assert.Equal(200_000, ex.ContextWindow);
        Assert.IsType<ProviderException>(ex.InnerException);
        Assert.Single(h.Arrivals(claude));
        Assert.Empty(h.Arrivals(openai));
    }

    [Fact]
    public async Task OpenCircuit_SkipsTheProviderWithoutARequest()
    {
        await using var h = new Harness();
        h.Options = h.Options with { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromMinutes(1) } };
        var claude = await h.ServerAsync();
        claude.Fallback = ProviderWire.Error("claude", 529, "Overloaded");
        var openai = await h.ServerAsync();
        openai.Fallback = ProviderWire.Reply("openai", "ok", stream: false);
        var client = h.Build(h.Link("claude", claude), h.Link("openai", openai));

        await h.AskAsync(client);
        var before = h.Arrivals(claude).Count;
        var second = await h.AskAsync(client);

        Assert.Equal(3, before);
        Assert.Equal(3, h.Arrivals(claude).Count);
        Assert.Equal("openai", second.AdditionalProperties![ResiliencePipeline.ProviderProperty]);
        Assert.Single(h.Events("circuit_opened"));
    }
}
