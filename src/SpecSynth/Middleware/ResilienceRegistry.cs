using System.Collections.Concurrent;

namespace SpecSynth.Middleware;

/// <summary>
/// The state shared by every pipeline of a host (one per <see cref="Hosting.RunServices"/>): one rate limiter, one server-limit
/// tracker and one circuit per provider + key alias, so concurrent generations share limits and learn from each other's failures.
/// </summary>
internal sealed class ResilienceRegistry
{
    private readonly ConcurrentDictionary<string, IRateLimiter> limiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitState> circuits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerRateLimits> servers = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry on <paramref name="time"/>.</summary>
    public ResilienceRegistry(TimeProvider time) => Time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>Creates an empty registry on <paramref name="time"/> whose rate limits are shared (Redis, falling back to
    /// local buckets when it is lost); <c>null</c> keeps them local.</summary>
    internal ResilienceRegistry(TimeProvider time, ISharedRateLimits? shared)
        : this(time) => Shared = shared;

    /// <summary>Where the rate-limit buckets are shared, or <c>null</c> for this process only.</summary>
    internal ISharedRateLimits? Shared { get; }

    /// <summary>The clock of every limiter and circuit in it.</summary>
    public TimeProvider Time { get; }

    internal IRateLimiter Limiter(string key, RateLimitOptions options) =>
        limiters.AddOrUpdate(key, _ => NewLimiter(key, options),
            (_, existing) => existing.Options == options ? existing : NewLimiter(key, options));

    private IRateLimiter NewLimiter(string key, RateLimitOptions options) =>
        Shared is { } shared ? shared.Limiter(key, options, Time) : new ProviderRateLimiter(options, Time);

    /// <summary>What the server of <paramref name="key"/> says is left (from its replies' headers), in this process.</summary>
    internal ServerRateLimits ServerLimits(string key) => servers.GetOrAdd(key, _ => new ServerRateLimits(Time));

    internal CircuitState Circuit(string key, CircuitBreakerOptions options) =>
        circuits.AddOrUpdate(key, _ => new CircuitState(options, Time),
            (_, existing) => existing.Options == options ? existing : new CircuitState(options, Time));
}
