using SpecSynth.Caching;
using SpecSynth.Config;

namespace SpecSynth;

/// <summary>
/// The response cache a configuration names (the local SQLite cache, or Redis from <c>[cache] url</c> /
/// <c>[shared] redis</c>): what it holds, and emptying it. Nothing connects to Redis before the first call.
/// </summary>
public sealed class ResponseCacheAdmin : IDisposable
{
    private readonly ResponseCacheStore _store;

    private ResponseCacheAdmin(ResponseCacheStore store) => _store = store;

    /// <summary>Opens the cache of <paramref name="config"/>.</summary>
    /// <param name="config">The effective configuration (<see cref="SpecSynthConfiguration.Load"/>).</param>
    /// <param name="timeProvider">The clock of entry expiry (the host's clock).</param>
    /// <param name="environment">Reads an environment variable (the cache folder: <c>SPECSYNTH_HOME</c>, XDG); <c>null</c>
    /// for the process environment.</param>
    /// <param name="onWarning">Hears the one warning when Redis is lost (the local cache answers instead).</param>
    /// <param name="sharedState">Opens a configured Redis (<c>SpecSynthRedis.Backend</c>, package <c>SpecSynth.Redis</c>);
    /// <c>null</c>: the local cache, with one warning when a Redis is configured.</param>
    public static ResponseCacheAdmin Open(SpecSynthConfig config, TimeProvider timeProvider, Func<string, string?>? environment = null,
        Action<string>? onWarning = null, SharedStateBackend? sharedState = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new(ResponseCacheStore.Open(config.Cache, config.Shared, environment ?? Environment.GetEnvironmentVariable, onWarning, timeProvider,
            sharedState));
    }

    /// <summary>The entries, bytes, hits and misses of the cache.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public Task<CacheStats> StatsAsync(CancellationToken cancellationToken = default) => _store.StatsAsync(cancellationToken);

    /// <summary>Removes every cached reply and resets the hit and miss counters.</summary>
    /// <param name="cancellationToken">Cancels the clearing.</param>
    /// <returns>How many replies were removed, and from which backend.</returns>
    public async Task<CacheCleared> ClearAsync(CancellationToken cancellationToken = default)
    {
        var before = await _store.StatsAsync(cancellationToken).ConfigureAwait(false);
        var removed = await _store.ClearAsync(cancellationToken).ConfigureAwait(false);
        return new CacheCleared(removed, before.Backend, before.Location);
    }

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();
}
