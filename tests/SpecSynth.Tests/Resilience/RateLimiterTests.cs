using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Llm.Resilience;

namespace SpecSynth.Tests.Resilience;

public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RequestsBeyondTheBurst_WaitForTheRefill()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 60, BurstSeconds = 2 }, time);

        var waits = Enumerable.Range(0, 4).Select(_ => limiter.Reserve(0).Wait).ToList();

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], waits);
    }

    [Fact]
    public void TokenBucket_BindsWhenTokensRunOut_AndSaysSo()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 600, TokensPerMinute = 6000, BurstSeconds = 1 }, time);

        var first = limiter.Reserve(100);
        var second = limiter.Reserve(50);

        Assert.Equal(TimeSpan.Zero, first.Wait);
        Assert.Equal(TimeSpan.FromSeconds(0.5), second.Wait);
        Assert.Equal("tokens per minute", second.Reason);
    }

    [Fact]
    public void AReportedUsageBelowTheEstimate_IsRefunded()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { TokensPerMinute = 6000, BurstSeconds = 1 }, time);
        limiter.Reserve(100);

        limiter.Correct(estimated: 100, actual: 40);

        Assert.Equal(TimeSpan.Zero, limiter.Reserve(60).Wait);
        Assert.True(limiter.Reserve(1).Wait > TimeSpan.Zero);
    }

    [Fact]
    public void ServersRetryAfter_PausesEveryCaller()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 6000 }, time);

        limiter.PauseFor(TimeSpan.FromSeconds(9));

        var (wait, reason) = limiter.Reserve(1);
        Assert.Equal(TimeSpan.FromSeconds(9), wait);
        Assert.Equal("the server's retry-after", reason);
    }

    [Fact]
    public void Estimate_IsCharactersOverFourPlusTheOutputCap()
    {
        var estimate = RateLimitChatClient.Estimate([new ChatMessage(ChatRole.System, new string('s', 40)), new ChatMessage(ChatRole.User, new string('u', 41))],
            new ChatOptions { MaxOutputTokens = 1000 }, new RateLimitOptions());

        Assert.Equal(21 + 1000, estimate);
    }

    [Fact]
    public async Task PipelinesSharingARegistry_ShareTheBuckets_AndReportTheWait()
    {
        var registry = new ResilienceRegistry(time);
        var observer = new RecordingResilienceObserver(time);
        var link = new ProviderLink("openai", new ScriptedChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))))
        {
            RateLimit = new RateLimitOptions { RequestsPerMinute = 60, BurstSeconds = 1 },
            KeyAlias = "OPENAI_API_KEY",
        };
        var a = ResiliencePipeline.Build([link], new ResilienceOptions(), time, observer, registry);
        var b = ResiliencePipeline.Build([link], new ResilienceOptions(), time, observer, registry);

        await a.GetResponseAsync("one");
        var second = b.GetResponseAsync("two");
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second;

        var wait = Assert.Single(observer.Events, e => e.Kind == "rate_limit_wait");
        Assert.Equal(TimeSpan.FromSeconds(1), wait.Delay);
        Assert.Equal("requests per minute", wait.Reason);
    }
}
