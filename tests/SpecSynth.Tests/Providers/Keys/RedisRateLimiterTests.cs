using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;
using StackExchange.Redis;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>The distributed token bucket against a real redis-server: shared across "processes", degrading when Redis is lost.</summary>
public sealed class RedisRateLimiterTests
{
    // 100 requests per second, 10 at once: 40 requests cannot all pass before 0.3 s.
    private static readonly RateLimitOptions Limits = new() { RequestsPerMinute = 6000, BurstSeconds = 0.1 };

    [Fact]
    public async Task TwoLimitersSharingOneBucket_NeverExceedItTogether()
    {
        var key = "claude+KEY_" + Guid.NewGuid().ToString("N");
        using var first = RedisRateLimits.Create(RedisTestServer.Shared.Address);
        using var second = RedisRateLimits.Create(RedisTestServer.Shared.Address);
        var a = new RedisRateLimiter(first, key, Limits, TimeProvider.System);
        var b = new RedisRateLimiter(second, key, Limits, TimeProvider.System);

        var grants = await GrantTimesAsync(a, b, 20);

        Assert.False(first.IsDegraded || second.IsDegraded);
        AssertWithinLimit(grants, capacity: 10, perSecond: 100);
        await DeleteBucketsAsync(key);
    }

    [Fact]
    public async Task TwoLocalLimiters_WouldLetTwiceTheLimitThrough_WhichTheSharedBucketPrevents()
    {
        var frozen = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(); // no time passes: only the bursts get through
        var a = new ProviderRateLimiter(Limits, frozen);
        var b = new ProviderRateLimiter(Limits, frozen);

        var grants = await GrantTimesAsync(a, b, 10).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(20, grants.Count); // twice the bucket of 10, at the same instant
    }

    [Fact]
    public async Task ARetryAfterSeenByOneProcess_HoldsTheOther()
    {
        var key = "openai+KEY_" + Guid.NewGuid().ToString("N");
        using var first = RedisRateLimits.Create("redis://" + RedisTestServer.Shared.Address);
        using var second = RedisRateLimits.Create(RedisTestServer.Shared.Address);
        var a = new RedisRateLimiter(first, key, Limits, TimeProvider.System);
        var b = new RedisRateLimiter(second, key, Limits, TimeProvider.System);
        await a.AcquireAsync(1, default);

        // Long enough that a loaded machine (the server may share the test process) still asks before the pause ends.
        a.PauseFor(TimeSpan.FromMilliseconds(1500));
        var (waited, reason) = await b.AcquireAsync(1, default);

        Assert.True(waited >= TimeSpan.FromMilliseconds(1000), $"waited {waited}");
        Assert.Equal("the server's retry-after", reason);
        await DeleteBucketsAsync(key);
    }

    [Fact]
    public async Task TheTokenBucket_IsShared_AndARefundByOneProcessLetsTheOtherGo()
    {
        var key = "claude+KEY_" + Guid.NewGuid().ToString("N");
        var tokens = new RateLimitOptions { TokensPerMinute = 600, BurstSeconds = 10 }; // 100 tokens, 10 per second
        using var first = RedisRateLimits.Create(RedisTestServer.Shared.Address);
        using var second = RedisRateLimits.Create(RedisTestServer.Shared.Address);
        var a = new RedisRateLimiter(first, key, tokens, TimeProvider.System);
        var b = new RedisRateLimiter(second, key, tokens, TimeProvider.System);
        await a.AcquireAsync(100, default);

        var waiting = b.AcquireAsync(60, default).AsTask(); // 6 s away unless refunded
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        a.Correct(estimated: 100, actual: 30);
        var (_, reason) = await waiting.WaitAsync(TimeSpan.FromSeconds(4));

        Assert.Equal("tokens per minute", reason);
        await DeleteBucketsAsync(key);
    }

    [Fact]
    public async Task RedisLostMidRun_FallsBackToLocalBuckets_WithOneWarning_NamingNoPassword()
    {
        const string password = "redis-secret-pw-91f3";
        using var server = RedisTestServer.StartPrivate(password);
        var warnings = new ConcurrentQueue<string>();
        using var shared = RedisRateLimits.Create($"redis://:{password}@{server.Address}", warnings.Enqueue);
        var limiter = new RedisRateLimiter(shared, "claude+KEY_A", new RateLimitOptions { RequestsPerMinute = 600, BurstSeconds = 1 }, TimeProvider.System);
        await limiter.AcquireAsync(1, default);
        using (var check = await ConnectionMultiplexer.ConnectAsync($"{server.Address},password={password}"))
        {
            Assert.True(await check.GetDatabase().KeyExistsAsync("specsynth:ratelimit:{claude+KEY_A}:requests"));
        }
        Assert.False(shared.IsDegraded);

        server.Kill();
        await limiter.AcquireAsync(1, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        limiter.Correct(10, 5);
        limiter.PauseFor(TimeSpan.FromMilliseconds(1));
        await Task.Delay(5);
        await limiter.AcquireAsync(1, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(shared.IsDegraded);
        var warning = Assert.Single(warnings);
        Assert.Contains(server.Address, warning, StringComparison.Ordinal);
        Assert.Contains("kept by this process alone", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(password, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALocalLimitStillHolds_AfterTheFallback()
    {
        using var server = RedisTestServer.StartPrivate();
        using var shared = RedisRateLimits.Create(server.Address);
        var limiter = new RedisRateLimiter(shared, "openai+KEY_B", new RateLimitOptions { RequestsPerMinute = 60, BurstSeconds = 1 }, TimeProvider.System);
        await limiter.AcquireAsync(1, default);
        server.Kill();

        await limiter.AcquireAsync(1, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // the local bucket starts full
        var third = limiter.AcquireAsync(1, default).AsTask();
        await Task.Delay(300);

        Assert.True(shared.IsDegraded);
        Assert.False(third.IsCompleted); // one per second locally
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RedisUnreachableFromTheStart_IsLocalAtOnce_WithOneWarning()
    {
        var warnings = new ConcurrentQueue<string>();
        using var server = RedisTestServer.StartPrivate();
        var address = server.Address;
        server.Kill();
        using var shared = RedisRateLimits.Create(address, warnings.Enqueue);
        var limiter = new RedisRateLimiter(shared, "claude+KEY_A", Limits, TimeProvider.System);

        await limiter.AcquireAsync(1, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await limiter.AcquireAsync(1, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(warnings);
    }

    [Fact]
    public async Task ThePipeline_KeepsItsBucketsInRedis_UnderTheKeysAlias_NeverTheKey()
    {
        await using var fake = await FakeProviderServer.StartAsync();
        fake.Router = _ => AnthropicWire.Json("hello");
        var settings = new ProviderSettings
        {
            Provider = "claude",
            Model = "claude-sonnet-4-5",
            ApiKey = KeyedServer.Keys["KEY_A"],
            KeyVariable = "KEY_A",
            BaseUrl = fake.BaseUrl,
        };
        using var provider = ProviderClientFactory.Create(settings);
        var alias = "KEY_A_" + Guid.NewGuid().ToString("N");
        using var shared = RedisRateLimits.Create(RedisTestServer.Shared.Address);
        var link = new ProviderLink("claude", provider, 200_000)
        {
            KeyAlias = alias,
            // 2 per minute: the one request keeps the requests bucket (and its key) alive for 30 s, long enough for the
            // check below on a loaded machine (at 100 per minute it expired after 0.6 s).
            RateLimit = new RateLimitOptions { RequestsPerMinute = 2, TokensPerMinute = 100_000 },
        };
        var client = ResiliencePipeline.Build([link], new ResilienceOptions(), TimeProvider.System, null,
            new ResilienceRegistry(TimeProvider.System, shared));

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("hello", response.Text);
        using var check = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address);
        var db = check.GetDatabase();
        Assert.True(await db.KeyExistsAsync($"specsynth:ratelimit:{{claude+{alias}}}:requests"));
        // (the token bucket was refunded from the reported usage down to empty, so its key is gone again)
        var keys = check.GetServer(check.GetEndPoints()[0]).Keys(pattern: "specsynth:ratelimit:*").Select(k => k.ToString()).ToList();
        Assert.DoesNotContain(keys, k => k.Contains(KeyedServer.Keys["KEY_A"], StringComparison.Ordinal));
        await DeleteBucketsAsync("claude+" + alias);
    }

    [Theory]
    [InlineData("redis://cache.internal:6380/2", "cache.internal:6380")]
    [InlineData("rediss://user:pw@cache.internal", "cache.internal:6379")]
    [InlineData("127.0.0.1:6392", "127.0.0.1:6392")]
    public void Addresses_AreParsed_AndShownWithoutCredentials(string url, string endpoint)
    {
        using var shared = RedisRateLimits.Create(url);

        Assert.Equal(endpoint, shared.Endpoint);
    }

    [Theory]
    [InlineData("http://cache:6379")]
    [InlineData("")]
    [InlineData("redis://cache/notanumber")]
    public void ABadAddress_IsInvalidInput(string url)
    {
        var error = Assert.Throws<SpecSynthException>(() => RedisRateLimits.Create(url));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    /// <summary>Deletes this test's buckets (named by its GUID) from the shared server.</summary>
    private static Task DeleteBucketsAsync(string key) => RedisTestServer.Shared.DeleteKeysAsync($"specsynth:ratelimit:{{{key}}}:*");

    private static async Task<List<TimeSpan>> GrantTimesAsync(IRateLimiter a, IRateLimiter b, int each)
    {
        var clock = Stopwatch.StartNew();
        var grants = new ConcurrentQueue<TimeSpan>();
        async Task Run(IRateLimiter limiter)
        {
            for (var i = 0; i < each; i++)
            {
                await limiter.AcquireAsync(1, default);
                grants.Enqueue(clock.Elapsed);
            }
        }
        await Task.WhenAll(Task.Run(() => Run(a)), Task.Run(() => Run(b)));
        return [.. grants.Order()];
    }

    /// <summary>The n-th grant (1-based) came no earlier than the bucket allows: (n - capacity) / rate after the start.</summary>
    private static void AssertWithinLimit(List<TimeSpan> grants, int capacity, double perSecond, TimeSpan? slack = null)
    {
        var tolerance = slack ?? TimeSpan.FromMilliseconds(5);
        for (var n = capacity + 1; n <= grants.Count; n++)
        {
            var earliest = TimeSpan.FromSeconds((n - capacity) / perSecond) - tolerance;
            Assert.True(grants[n - 1] >= earliest, $"grant {n} at {grants[n - 1].TotalMilliseconds:0.#} ms, before {earliest.TotalMilliseconds:0.#} ms");
        }
    }
}
