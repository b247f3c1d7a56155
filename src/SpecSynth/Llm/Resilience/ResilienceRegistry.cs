using System.Collections.Concurrent;

namespace SpecSynth.Llm.Resilience;

/// <summary>
/// The state shared by every pipeline of a process: one rate limiter and one circuit per provider + key alias,
/// so concurrent generations share limits and learn from each other's failures.
/// </summary>
public sealed class ResilienceRegistry
{
    private readonly ConcurrentDictionary<string, ProviderRateLimiter> limiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitState> circuits = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry on <paramref name="time"/>.</summary>
    public ResilienceRegistry(TimeProvider time) => Time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The registry of the process (system clock), used when <see cref="ResiliencePipeline.Build"/> gets none.</summary>
    public static ResilienceRegistry Shared { get; } = new(TimeProvider.System);

    /// <summary>The clock of every limiter and circuit in it.</summary>
    public TimeProvider Time { get; }

    internal ProviderRateLimiter Limiter(string key, RateLimitOptions options) =>
        limiters.AddOrUpdate(key, _ => new ProviderRateLimiter(options, Time),
            (_, existing) => existing.Options == options ? existing : new ProviderRateLimiter(options, Time));

    internal CircuitState Circuit(string key, CircuitBreakerOptions options) =>
        circuits.AddOrUpdate(key, _ => new CircuitState(options, Time),
            (_, existing) => existing.Options == options ? existing : new CircuitState(options, Time));
}
