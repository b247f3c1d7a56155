using SpecSynth.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Middleware;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("1h2m3.5s", 3_723_500)]
    public void OpenAIResetDurations_AreParsed(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RateLimitHeaders.ParseDuration(text));

    [Fact]
    public void HeadersNamingNoRateLimit_GiveTheSharedNone_AndOnesThatDo_AreRead_WhateverTheirCase()
    {
        var none = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "text/event-stream", ["retry-after"] = "3" };
        Assert.Same(RateLimitHeaders.None, RateLimitHeaders.Parse(none, Now));
        Assert.Same(RateLimitHeaders.None, RateLimitHeaders.Parse(new Dictionary<string, string>(), Now));

        var some = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["content-type"] = "text/event-stream",
            ["X-RateLimit-Remaining-Requests"] = "59",
            ["Anthropic-RateLimit-Tokens-Limit"] = "80000",
        };
        var parsed = RateLimitHeaders.Parse(some, Now);
        Assert.Equal(59, parsed.RequestsRemaining);
        Assert.Equal(80000, parsed.TokensLimit);

        // Another kind of dictionary is read in full, as before.
        var readOnly = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new Dictionary<string, string> { ["x-ratelimit-remaining-tokens"] = "7" });
        Assert.Equal(7, RateLimitHeaders.Parse(readOnly, Now).TokensRemaining);
    }

    [Fact]
    public void OpenAIHeaders_GiveRemainingAndResetTimes()
    {
        var headers = RateLimitHeaders.Parse(new Dictionary<string, string>
        {
            ["x-ratelimit-remaining-requests"] = "59",
            ["x-ratelimit-reset-requests"] = "1s",
            ["x-ratelimit-remaining-tokens"] = "149984",
            ["x-ratelimit-reset-tokens"] = "6ms",
        }, Now);

        Assert.Equal(new RateLimitHeaders(59, Now.AddSeconds(1), 149984, Now.AddMilliseconds(6)), headers);
    }

    [Fact]
    public void AnthropicHeaders_GiveRemainingAndResetTimes()
    {
        var headers = RateLimitHeaders.Parse(new Dictionary<string, string>
        {
            ["anthropic-ratelimit-requests-remaining"] = "0",
            ["anthropic-ratelimit-requests-reset"] = "2026-11-25T09:00:12Z",
            ["anthropic-ratelimit-tokens-remaining"] = "nonsense",
        }, Now);

        Assert.Equal(new RateLimitHeaders(0, Now.AddSeconds(12), null, null), headers);
    }

    [Fact]
    public async Task NothingLeftAccordingToTheServer_HoldsRequestsUntilItsReset()
    {
        var time = new FakeTimeProvider(Now);
        var answered = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
        {
            AdditionalProperties = new()
            {
                [ResiliencePipeline.ResponseHeadersProperty] = new Dictionary<string, string>
                {
                    ["anthropic-ratelimit-requests-remaining"] = "0",
                    ["anthropic-ratelimit-requests-reset"] = "2026-11-25T09:00:20Z",
                },
            },
        };
        var link = new ProviderLink("claude", new ScriptedChatClient(_ => answered)) { RateLimit = new RateLimitOptions { RequestsPerMinute = 1000 } };
        var observer = new RecordingResilienceObserver(time);
        var pipeline = ResiliencePipeline.Build([link], new ResilienceOptions(), time, observer);

        await pipeline.GetResponseAsync("one");
        var second = pipeline.GetResponseAsync("two");
        await Task.Delay(30);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(20));
        await second;

        Assert.Equal(TimeSpan.FromSeconds(20), Assert.Single(observer.Events).Delay);
    }
}
