using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

/// <summary>Quota refusals fall back to the next provider; rate limits (429) never open the circuit breaker.</summary>
public sealed class QuotaAndBreakerTests
{
    internal const string CreditBalanceTooLow =
        "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.";

    [Fact]
    public async Task AnthropicsCreditBalanceTooLow_IsAQuotaRefusal_AndFallsBackToTheNextProvider()
    {
        await using var h = new Harness();
        var claude = await h.ServerAsync();
        claude.Fallback = AnthropicWire.Error(400, "invalid_request_error", CreditBalanceTooLow);
        var openai = await h.ServerAsync();
        openai.Enqueue(ProviderWire.Reply("openai", "from openai", stream: false));
        var client = h.Build(h.Link("claude", claude), h.Link("openai", openai));

        var response = await h.AskAsync(client);

        Assert.Equal("from openai", response.Text);
        Assert.Single(h.Arrivals(claude));
        var skipped = Assert.IsType<string[]>(response.AdditionalProperties![ResiliencePipeline.SkippedProperty]);
        Assert.Contains("quota, credit or spend limit is exhausted", Assert.Single(skipped), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("openai")]
    public async Task QuotaRefusals_OfBothProviders_AreTheSameKind(string provider)
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Enqueue(provider == "claude"
            ? AnthropicWire.Error(400, "invalid_request_error", CreditBalanceTooLow)
            : OpenAIWire.Error(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"));
        using var client = ProviderClientFactory.Create(ProviderWire.Settings(provider, server));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsQuotaExhausted);
        Assert.False(ex.IsRetryable);
        Assert.True(FallbackChatClient.ShouldFallBack(ex));
    }

    [Fact]
    public async Task Many429s_NeverOpenTheCircuit_AndTheCallWaitsThemOut()
    {
        await using var h = new Harness
        {
            Options = new ResilienceOptions
            {
                StreamIdleTimeout = TimeSpan.FromHours(1),
                CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(30) },
            },
        };
        var server = await h.ServerAsync();
        var limited = ProviderWire.Error("openai", 429, "Rate limit reached").WithHeader("retry-after", "2");
        server.Enqueue(limited, limited, limited, limited, limited, limited, ProviderWire.Reply("openai", "done", stream: false));
        var client = h.Build(h.Link("openai", server));

        var response = await h.AskAsync(client);

        Assert.Equal("done", response.Text);
        Assert.Equal(7, h.Arrivals(server).Count);
        Assert.Empty(h.Events("circuit_opened"));
    }

    [Fact]
    public async Task ServerErrors_StillOpenTheCircuit()
    {
        await using var h = new Harness
        {
            Options = new ResilienceOptions
            {
                StreamIdleTimeout = TimeSpan.FromHours(1),
                CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(30) },
            },
        };
        var server = await h.ServerAsync();
        server.Fallback = ProviderWire.Error("openai", 500, "boom");
        var client = h.Build(h.Link("openai", server));

        await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));

        Assert.Single(h.Events("circuit_opened"));
    }

    [Fact]
    public async Task RateLimitWaits_OfOneCall_StopAtMaxServerDelay()
    {
        await using var h = new Harness
        {
            Options = new ResilienceOptions
            {
                StreamIdleTimeout = TimeSpan.FromHours(1),
                Retry = new RetryOptions { MaxServerDelay = TimeSpan.FromSeconds(10) },
            },
        };
        var server = await h.ServerAsync();
        server.Fallback = ProviderWire.Error("openai", 429, "Rate limit reached").WithHeader("retry-after", "4");
        var client = h.Build(h.Link("openai", server));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));

        Assert.Equal(429, ex.StatusCode);
        Assert.Contains("max_server_delay", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Arrivals(server).Count);
        Assert.Empty(h.Events("circuit_opened"));
    }
}
