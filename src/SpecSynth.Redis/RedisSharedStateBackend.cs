using SpecSynth.Budget;
using SpecSynth.Caching;
using SpecSynth.Middleware;
using SpecSynth.State;

namespace SpecSynth;

/// <summary>The <see cref="SharedStateBackend"/> of this package: StackExchange.Redis, one connection per opened store.</summary>
internal sealed class RedisSharedStateBackend : SharedStateBackend
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static RedisSharedStateBackend Instance { get; } = new();

    private RedisSharedStateBackend()
    {
    }

    internal override ISharedResponseCache OpenCache(string url) => new RedisResponseCache(url);

    internal override ISharedRateLimits OpenRateLimits(string url, Action<string>? onWarning) => RedisRateLimits.Create(url, onWarning);

    internal override ISharedBudgetStore OpenBudget(string url) => new RedisBudgetStore(new RedisConnection(url));
}
