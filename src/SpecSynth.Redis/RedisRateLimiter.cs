using StackExchange.Redis;

namespace SpecSynth.Middleware;

/// <summary>
/// The buckets of one provider + key alias in Redis, shared by every process using it: the same GCRA as
/// <see cref="ProviderRateLimiter"/>, run by an atomic Lua script on the server's clock (<c>TIME</c>), so callers on
/// different machines charge one bucket. Callers of this process still queue in arrival order; the one at the head
/// polls until the script lets it through. Redis lost → <see cref="RedisRateLimits.Degrade"/> and the local buckets.
/// </summary>
/// <remarks>Keys: <c>specsynth:ratelimit:{provider+alias}:requests|tokens|pause</c>, each holding the server time in ms
/// at which it is full again (pause: until when nobody sends), expiring when that time has passed.</remarks>
internal sealed class RedisRateLimiter : IRateLimiter
{
    /// <summary>The longest single wait between two looks at the shared bucket (others may refund or lower it meanwhile).</summary>
    internal static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);

    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local send = now
        local reason = 0
        local full = {}
        for i = 1, 2 do
          local rate = tonumber(ARGV[(i - 1) * 3 + 1])
          if rate > 0 then
            local cap = tonumber(ARGV[(i - 1) * 3 + 2])
            local cost = math.min(tonumber(ARGV[(i - 1) * 3 + 3]), cap)
            local f = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
            local at = f - (cap - cost) / rate
            if at > send then send = at; reason = i end
            full[i] = f + cost / rate
          end
        end
        local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
        if pause > send then send = pause; reason = 3 end
        if send > now then return {math.ceil(send - now), reason} end
        for i = 1, 2 do
          if full[i] then
            redis.call('SET', KEYS[i], string.format('%.3f', full[i]), 'PX', math.ceil(full[i] - now) + 1000)
          end
        end
        return {0, 0}
        """;

    private const string AdjustScript = """
        local f = tonumber(redis.call('GET', KEYS[1]) or '0')
        if f == 0 then return 0 end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        f = f + tonumber(ARGV[2]) / tonumber(ARGV[1])
        if f > now then
          redis.call('SET', KEYS[1], string.format('%.3f', f), 'PX', math.ceil(f - now) + 1000)
        else
          redis.call('DEL', KEYS[1])
        end
        return 1
        """;

    private const string LowerScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local rate = tonumber(ARGV[1])
        local cap = tonumber(ARGV[2])
        local remaining = tonumber(ARGV[3])
        local f = tonumber(redis.call('GET', KEYS[1]) or '0')
        local level = cap - rate * math.max(0, f - now)
        if remaining < level then
          f = now + (cap - math.max(0, remaining)) / rate
          redis.call('SET', KEYS[1], string.format('%.3f', f), 'PX', math.ceil(f - now) + 1000)
          return 1
        end
        return 0
        """;

    private const string PauseScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local wait = tonumber(ARGV[1])
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        if now + wait > cur then
          redis.call('SET', KEYS[1], string.format('%.3f', now + wait), 'PX', math.ceil(wait) + 1000)
        end
        return 0
        """;

    private static readonly string[] Reasons = [ProviderRateLimiter.QueuedReason, "requests per minute", "tokens per minute", "the server's retry-after"];

    private readonly RedisRateLimits shared;
    private readonly ProviderRateLimiter local;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim line = new(1, 1);
    private readonly RedisKey[] keys;
    private readonly Rate? requests;
    private readonly Rate? tokens;

    public RedisRateLimiter(RedisRateLimits shared, string key, RateLimitOptions options, TimeProvider time)
    {
        this.shared = shared;
        this.time = time;
        Options = options;
        local = new ProviderRateLimiter(options, time);
        var prefix = "specsynth:ratelimit:{" + key + "}:";
        keys = [prefix + "requests", prefix + "tokens", prefix + "pause"];
        requests = options.RequestsPerMinute is { } rpm ? new Rate(rpm, options.BurstSeconds) : null;
        tokens = options.TokensPerMinute is { } tpm ? new Rate(tpm, options.BurstSeconds) : null;
    }

    public RateLimitOptions Options { get; }

    public async ValueTask<(TimeSpan Waited, string Reason)> AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow();
        var reason = ProviderRateLimiter.QueuedReason;
        await line.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var db = await shared.DatabaseAsync(cancellationToken).ConfigureAwait(false);
                if (db is null)
                {
                    break;
                }
                RedisResult result;
                try
                {
                    result = await db.ScriptEvaluateAsync(AcquireScript, keys,
                    [
                        requests?.PerMs ?? 0, requests?.Capacity ?? 0, 1,
                        tokens?.PerMs ?? 0, tokens?.Capacity ?? 0, estimatedTokens,
                    ]).WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (RedisRateLimits.IsLost(ex))
                {
                    shared.Degrade(ex);
                    break;
                }
                var answer = (RedisResult[])result!;
                var waitMs = (long)answer[0];
                if (waitMs <= 0)
                {
                    return (time.GetUtcNow() - start, reason);
                }
                reason = Reasons[(int)answer[1]];
                var wait = TimeSpan.FromMilliseconds(waitMs);
                await Task.Delay(wait < MaxPoll ? wait : MaxPoll, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            line.Release();
        }
        var (_, localReason) = await local.AcquireAsync(estimatedTokens, cancellationToken).ConfigureAwait(false);
        return (time.GetUtcNow() - start, localReason == ProviderRateLimiter.QueuedReason ? reason : localReason);
    }

    public void Correct(long estimated, long actual)
    {
        if (tokens is { } rate)
        {
            Run(local => local.Correct(estimated, actual), db => db.ScriptEvaluate(AdjustScript, [keys[1]], [rate.PerMs, actual - estimated]));
        }
    }

    public void Adapt(RateLimitHeaders headers)
    {
        Run(local => local.Adapt(headers), db =>
        {
            Lower(db, requests, keys[0], headers.RequestsRemaining);
            Lower(db, tokens, keys[1], headers.TokensRemaining);
        });
    }

    public void PauseFor(TimeSpan wait) =>
        Run(local => local.PauseFor(wait), db => db.ScriptEvaluate(PauseScript, [keys[2]], [Math.Ceiling(wait.TotalMilliseconds)]));

    private static void Lower(IDatabase db, Rate? rate, RedisKey key, long? remaining)
    {
        if (remaining is not { } left)
        {
            return;
        }
        if (rate is { } r)
        {
            db.ScriptEvaluate(LowerScript, [key], [r.PerMs, r.Capacity, left]);
        }
    }

    /// <summary>Runs <paramref name="remote"/> against Redis while it is there; else (or when it fails) <paramref name="fallback"/> locally.</summary>
    private void Run(Action<ProviderRateLimiter> fallback, Action<IDatabase> remote)
    {
        if (!shared.IsDegraded)
        {
            try
            {
                var db = shared.DatabaseAsync(CancellationToken.None).GetAwaiter().GetResult();
                if (db is not null)
                {
                    remote(db);
                    return;
                }
            }
            catch (Exception ex) when (RedisRateLimits.IsLost(ex))
            {
                shared.Degrade(ex);
            }
        }
        fallback(local);
    }

    private sealed record Rate(int PerMinute, double BurstSeconds)
    {
        public double PerMs => PerMinute / 60_000.0;

        public double Capacity => Math.Max(1, PerMinute / 60.0 * BurstSeconds);
    }
}
