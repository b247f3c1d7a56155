using System.Globalization;
using SpecSynth.State;
using StackExchange.Redis;

namespace SpecSynth.Budget;

/// <summary>
/// The team's day and month counters in Redis (<c>[shared] redis</c>): keys <c>specsynth:{budget}:day:YYYY-MM-DD</c> and
/// <c>specsynth:{budget}:month:YYYY-MM</c> holding nano-USD, each expiring well after its period. Check-and-reserve is one Lua
/// script, so every process and machine using the Redis draws from one budget (a counter holds settled costs, open
/// reservations and the unspent part of the processes' leases, <see cref="LeasedBudgetStore"/>). Throws <see cref="RedisException"/> or
/// <see cref="TimeoutException"/> when Redis cannot be reached (the caller falls back to its local counters).
/// </summary>
internal sealed class RedisBudgetStore(RedisConnection connection) : ISharedBudgetStore
{
    /// <summary>The prefix of every budget key; the <c>{budget}</c> hash tag keeps a script's keys in one Redis Cluster slot.</summary>
    public const string KeyPrefix = "specsynth:{budget}:";

    // KEYS: the counters. ARGV: wanted, minimum, lease, held, the lease share, then per key its limit and its time to live
    // (seconds). BudgetGrant.Decide's rule; the counters change by granted - held, never below zero.
    private const string ReserveScript = """
        local wanted = tonumber(ARGV[1])
        local minimum = tonumber(ARGV[2])
        local lease = tonumber(ARGV[3])
        local held = tonumber(ARGV[4])
        local poorest = 0
        local left = nil
        for i, key in ipairs(KEYS) do
            local l = tonumber(ARGV[4 + 2 * i]) - tonumber(redis.call('GET', key) or '0')
            if left == nil or l < left then left = l; poorest = i end
        end
        left = left + held
        local share = left / tonumber(ARGV[5])
        if share >= 0 then share = math.floor(share) else share = math.ceil(share) end
        local granted = 0
        if lease > wanted and share >= wanted then granted = math.min(lease, share)
        elseif left >= wanted then granted = wanted elseif left >= minimum then granted = left end
        local delta = granted - held
        if delta ~= 0 then
            for i, key in ipairs(KEYS) do
                local v = redis.call('INCRBY', key, string.format('%.0f', delta))
                if v < 0 then redis.call('SET', key, '0') end
                redis.call('EXPIRE', key, ARGV[5 + 2 * i])
            end
        end
        return {string.format('%.0f', granted), poorest, string.format('%.0f', left)}
        """;

    // KEYS: the counters. ARGV: delta, then per key its time to live. Counters never go below zero.
    private const string AdjustScript = """
        for i, key in ipairs(KEYS) do
            local v = redis.call('INCRBY', key, ARGV[1])
            if v < 0 then redis.call('SET', key, '0') end
            redis.call('EXPIRE', key, ARGV[1 + i])
        end
        return 1
        """;

    public async Task<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, long lease, long held,
        CancellationToken cancellationToken)
    {
        if (windows.Count == 0)
        {
            return new BudgetGrant(wanted, null, long.MaxValue);
        }
        var db = await DatabaseAsync().ConfigureAwait(false);
        var args = new List<RedisValue> { wanted, minimum, lease, held, BudgetGrant.LeaseShare };
        foreach (var window in windows)
        {
            args.Add(window.LimitNanos);
            args.Add(Ttl(window));
        }
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(ReserveScript, Keys(windows), [.. args]).ConfigureAwait(false))!;
        var granted = long.Parse((string)result[0]!, CultureInfo.InvariantCulture);
        var poorest = (int)result[1] - 1;
        var left = long.Parse((string)result[2]!, CultureInfo.InvariantCulture);
        return new BudgetGrant(granted, windows[poorest], left);
    }

    public async Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken)
    {
        if (windows.Count == 0 || delta == 0)
        {
            return;
        }
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.ScriptEvaluateAsync(AdjustScript, Keys(windows), [delta, .. windows.Select(w => (RedisValue)Ttl(w))]).ConfigureAwait(false);
    }

    /// <summary>The Redis key of <paramref name="window"/>.</summary>
    public static string Key(BudgetWindow window) => KeyPrefix + window.Period;

    private static RedisKey[] Keys(IReadOnlyList<BudgetWindow> windows) => [.. windows.Select(w => (RedisKey)Key(w))];

    /// <summary>Seconds a counter is kept after its last change: 2 days for a day, 62 days for a month (past its end either way).</summary>
    private static long Ttl(BudgetWindow window) => window.Period.StartsWith("day:", StringComparison.Ordinal)
        ? (long)TimeSpan.FromDays(2).TotalSeconds
        : (long)TimeSpan.FromDays(62).TotalSeconds;

    private async Task<IDatabase> DatabaseAsync() =>
        await connection.TryGetDatabaseAsync().ConfigureAwait(false)
            ?? throw new RedisException($"Redis at {connection.Display} is not connected");

    /// <inheritdoc />
    public string Display => connection.Display;

    /// <inheritdoc />
    public bool IsLost(Exception ex) => ex is RedisException;

    /// <summary>Closes the connection (the store owns it).</summary>
    public void Dispose() => connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
