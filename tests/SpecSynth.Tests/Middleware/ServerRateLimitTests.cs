using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

/// <summary>
/// Adapting to the servers' rate-limit headers with no client limits configured: requests in flight are counted
/// against what a reply says is left, and the key is held until the server has room, for sliding-window and
/// token-bucket servers, on requests and on tokens. All on a fake clock.
/// </summary>
public sealed class ServerRateLimitTests
{
    private const int Generations = 45;
    private const int Concurrency = 8;
    private const int MaxOutput = 900;
    private static readonly string Prompt = new('p', 400); // 100 tokens + 900 output = 1,000 tokens a request

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    public static TheoryData<bool, bool> ServerKinds() => new()
    {
        { true, false }, // sliding window, requests bind
        { false, false }, // token bucket, requests bind
        { true, true }, // sliding window, tokens bind
        { false, true }, // token bucket, tokens bind
    };

    [Theory]
    [MemberData(nameof(ServerKinds))]
    public async Task FortyFiveGenerationsAtConcurrency8_Get429sAtMostOnePercent_AtNinetyFivePercentOfTheLimit(bool sliding, bool tokensBind)
    {
        var server = tokensBind
            ? new LimitedChatClient(time, sliding, requestsPerMinute: 1000, tokensPerMinute: 30_000, TimeSpan.FromMilliseconds(300))
            : new LimitedChatClient(time, sliding, requestsPerMinute: 30, tokensPerMinute: 10_000_000, TimeSpan.FromMilliseconds(300));
        var observer = new RecordingResilienceObserver(time);
        var options = new ResilienceOptions
        {
            StreamIdleTimeout = TimeSpan.FromHours(1),
            Retry = new RetryOptions { AttemptTimeout = TimeSpan.FromHours(1) },
        };
        var pipeline = ResiliencePipeline.BuildWith([new ProviderLink("openai", server)], options, time,
            observer, new ResilienceRegistry(time), new Random(3));
        using var slots = new SemaphoreSlim(Concurrency);

        var all = Task.Run(() => Task.WhenAll(Enumerable.Range(0, Generations).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, Prompt)], new ChatOptions { MaxOutputTokens = MaxOutput });
            }
            finally
            {
                slots.Release();
            }
        })));
        var start = time.GetUtcNow();
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(2));
            Assert.True(time.GetUtcNow() - start < TimeSpan.FromMinutes(10), "the generations never finished");
            time.Advance(TimeSpan.FromMilliseconds(50));
        }
        await all;

        Assert.Equal(Generations, server.Accepted);
        Assert.True(server.Rejected <= Generations / 100, $"{server.Rejected} 429s of {server.Accepted + server.Rejected} requests");
        var first = server.AcceptedAt.Min();
        var last = server.AcceptedAt.Max();
        // Sliding minute: the 31st request can go no earlier than a minute after the first. Token bucket: a minute's
        // worth at once, then half a request a second.
        var share = sliding ? 60 / (last - first) : Generations / (30 + (0.5 * (last - first)));
        Assert.True(share >= 0.95, $"reached {share:P1} of the limit (accepted from {first:0.0} s to {last:0.0} s)");
        Assert.DoesNotContain(observer.Events, e => e.Kind == "circuit_opened");
    }

    [Fact]
    public async Task ARequestThatIsNotHeld_ReportsNoWait_EvenWhenTheClockMoves()
    {
        // A clock that moves on every read, as the system clock does between two looks: without headers nothing is held,
        // so no rate-limit wait may be reported (the CLI printed "rate_limit_wait … 0.003 s" for every request).
        var moving = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromMilliseconds(3) };
        var limits = new ServerRateLimits(moving);

        for (var i = 0; i < 3; i++)
        {
            var (_, waited, reason) = await limits.AcquireAsync(1, default);
            Assert.Equal(TimeSpan.Zero, waited);
            Assert.Null(reason);
        }
    }

    [Fact]
    public async Task RequestsInFlight_CountAgainstWhatAReplySaysIsLeft_AndTheKeyIsHeldUntilTheReset()
    {
        var limits = new ServerRateLimits(time);
        var (first, _, _) = await limits.AcquireAsync(1, default);
        await limits.AcquireAsync(1, default);
        await limits.AcquireAsync(1, default);

        // The reply to the first says 2 are left; the two sent after it are still in flight: nothing is left.
        limits.Observe(first, Headers(remaining: 2, limit: 3, reset: TimeSpan.FromSeconds(60)));
        var held = limits.AcquireAsync(1, default).AsTask();
        await Task.Delay(50);
        Assert.False(held.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.False(held.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var (_, waited, reason) = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(60), waited);
        Assert.Equal(ServerRateLimits.HeadersReason, reason);
    }

    [Fact]
    public async Task ASlidingWindow_WhoseRepliesImplyNoSteadyRefill_IsHeldUntilItsReset()
    {
        var limits = new ServerRateLimits(time);
        var (one, _, _) = await limits.AcquireAsync(1, default);
        var (two, _, _) = await limits.AcquireAsync(1, default);

        // 1 used and empty again in a minute, then all 30 used and empty again in 59 s: requests leave a window.
        limits.Observe(one, Headers(remaining: 29, limit: 30, reset: TimeSpan.FromSeconds(60)));
        limits.Observe(two, Headers(remaining: 0, limit: 30, reset: TimeSpan.FromSeconds(59)));
        var held = limits.AcquireAsync(1, default).AsTask();
        while (!held.IsCompleted && time.GetUtcNow() < new DateTimeOffset(2026, 11, 25, 9, 2, 0, TimeSpan.Zero))
        {
            await Task.Delay(5);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        var (_, waited, _) = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(waited, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(59.5));
    }

    [Fact]
    public async Task AContinuousRefill_LetsTheNextRequestGoWhenOneIsRefilled_NotAtTheFullReset()
    {
        var limits = new ServerRateLimits(time);
        var (one, _, _) = await limits.AcquireAsync(1, default);
        var (two, _, _) = await limits.AcquireAsync(1, default);

        // 10 short and full in 20 s, then empty and full in a minute: a bucket of 30 refilling half a request a second.
        limits.Observe(one, Headers(remaining: 20, limit: 30, reset: TimeSpan.FromSeconds(20)));
        limits.Observe(two, Headers(remaining: 0, limit: 30, reset: TimeSpan.FromSeconds(60)));
        var held = limits.AcquireAsync(1, default).AsTask();
        while (!held.IsCompleted && time.GetUtcNow() < new DateTimeOffset(2026, 11, 25, 9, 1, 0, TimeSpan.Zero))
        {
            await Task.Delay(5);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var (_, waited, _) = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(waited, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.3));
    }

    [Fact]
    public async Task WithRoom_ACallerGoesAtOnce_OnItsOwnThread_AndALaterSmallerOneNeverOvertakesAHeldOne()
    {
        var limits = new ServerRateLimits(time);
        var first = limits.AcquireAsync(100, default);
        // Room and nobody in line: done before the call returns (no hop through the thread pool).
        Assert.True(first.IsCompletedSuccessfully);
        var (ticket, waited, reason) = await first;
        Assert.Equal((TimeSpan.Zero, null), (waited, reason));

        // 500 tokens left for the next minute: a request of 1,000 is held; one of 10 would fit, but waits its turn behind it.
        limits.Observe(ticket, new RateLimitHeaders(null, null, 500, time.GetUtcNow() + TimeSpan.FromSeconds(60)) { TokensLimit = 1000 });
        var big = limits.AcquireAsync(1000, default).AsTask();
        var small = limits.AcquireAsync(10, default).AsTask();
        await Task.Delay(50);
        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(60));

        var (bigTicket, bigWaited, _) = await big.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(60), bigWaited);
        // The big one is in flight against the 500 known to be left: the small one goes once its reply says there is room.
        limits.Observe(bigTicket, new RateLimitHeaders(null, null, 990, time.GetUtcNow() + TimeSpan.FromSeconds(60)) { TokensLimit = 1000 });
        var (smallTicket, _, _) = await small.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(smallTicket > bigTicket);
    }

    [Fact]
    public async Task ACancelledCaller_IsCancelled_AndLeavesNobodyInLine()
    {
        var limits = new ServerRateLimits(time);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limits.AcquireAsync(1, cancelled.Token).AsTask());
        Assert.True(limits.AcquireAsync(1, default).IsCompletedSuccessfully);
    }

    private RateLimitHeaders Headers(long remaining, long limit, TimeSpan reset) =>
        new(remaining, time.GetUtcNow() + reset, null, null) { RequestsLimit = limit };
}
