using SpecSynth.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Middleware;

public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RequestsBeyondTheBurst_WaitForTheRefill_InArrivalOrder()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 60, BurstSeconds = 2 }, time);

        var first = limiter.AcquireAsync(0, default).AsTask();
        var second = limiter.AcquireAsync(0, default).AsTask();
        var third = limiter.AcquireAsync(0, default).AsTask();
        var fourth = limiter.AcquireAsync(0, default).AsTask();
        await Task.WhenAll(first, second);
        await Task.Delay(30);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var (waited, reason) = await third;
        await Task.Delay(30);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await fourth;

        Assert.Equal(TimeSpan.Zero, (await first).Waited);
        Assert.Equal(TimeSpan.FromSeconds(1), waited);
        Assert.Equal("requests per minute", reason);
        Assert.Equal(TimeSpan.FromSeconds(2), (await fourth).Waited);
    }

    [Fact]
    public async Task TokenBucket_BindsWhenTokensRunOut_AndSaysSo()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 600, TokensPerMinute = 6000, BurstSeconds = 1 }, time);

        await limiter.AcquireAsync(100, default);
        var second = limiter.AcquireAsync(50, default).AsTask();
        await Task.Delay(30);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal((TimeSpan.FromSeconds(0.5), "tokens per minute"), await second);
    }

    [Fact]
    public async Task AReportedUsageBelowTheEstimate_IsRefunded_AndWakesTheWaitingCaller()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { TokensPerMinute = 6000, BurstSeconds = 1 }, time);
        await limiter.AcquireAsync(100, default);
        var waiting = limiter.AcquireAsync(60, default).AsTask();
        await Task.Delay(30);
        Assert.False(waiting.IsCompleted);

        limiter.Correct(estimated: 100, actual: 40);

        Assert.Equal(TimeSpan.Zero, (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Waited);
    }

    [Fact]
    public async Task ServersRetryAfter_PausesEveryCaller()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 6000 }, time);

        limiter.PauseFor(TimeSpan.FromSeconds(9));
        var call = limiter.AcquireAsync(1, default).AsTask();
        await Task.Delay(30);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal((TimeSpan.FromSeconds(9), "the server's retry-after"), await call);
    }

    [Fact]
    public async Task WithRoom_ACallerGoesAtOnce_OnItsOwnThread_AndALaterSmallerOneNeverOvertakesAWaitingOne()
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { TokensPerMinute = 6000, BurstSeconds = 1 }, time);
        var first = limiter.AcquireAsync(100, default);
        // Both buckets can pay and nobody is in line: done before the call returns (no hop through the thread pool).
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal((TimeSpan.Zero, ProviderRateLimiter.QueuedReason), await first);

        // The bucket is empty: 60 tokens wait 0.6 s; 1 token would fit sooner, but waits its turn behind them.
        var big = limiter.AcquireAsync(60, default).AsTask();
        var small = limiter.AcquireAsync(1, default).AsTask();
        await Task.Delay(30);
        Assert.False(small.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.6));
        Assert.Equal((TimeSpan.FromSeconds(0.6), "tokens per minute"), await big.WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(30);
        Assert.False(small.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.01));

        Assert.Equal(TimeSpan.FromSeconds(0.61), (await small.WaitAsync(TimeSpan.FromSeconds(5))).Waited);
    }

    [Fact]
    public void Estimate_IsCharactersOverFourPlusTheOutputCap()
    {
        var estimate = RateLimitChatClient.Estimate([new ChatMessage(ChatRole.System, new string('s', 40)), new ChatMessage(ChatRole.User, new string('u', 41))],
            new ChatOptions { MaxOutputTokens = 1000 }, new RateLimitOptions());

        Assert.Equal(21 + 1000, estimate);
    }

    [Fact]
    public void Estimate_CountsTheCharactersOfEachMessagesText_AsAListOrAnySequence()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.System, [new TextContent(new string('s', 30)), new UriContent(new Uri("https://example.com/a.png"), "image/png"), new TextContent("tail")]),
            new(ChatRole.User, [new TextReasoningContent("not counted"), new TextContent(new string('u', 7))]),
            new(ChatRole.User, [new UriContent(new Uri("https://example.com/b.png"), "image/png")]),
        ];
        var chars = messages.Sum(m => m.Text.Length);
        Assert.Equal(41, chars);

        var options = new ChatOptions { MaxOutputTokens = 100 };
        Assert.Equal(11 + 100, RateLimitChatClient.Estimate(messages, options, new RateLimitOptions()));
        Assert.Equal(11 + 100, RateLimitChatClient.Estimate(messages.Select(m => m), options, new RateLimitOptions()));
        Assert.Equal(11 + RateLimitChatClient.DefaultOutputEstimate, RateLimitChatClient.Estimate(new List<ChatMessage>(messages), null, new RateLimitOptions()));
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
