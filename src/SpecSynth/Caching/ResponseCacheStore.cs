using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using SpecSynth.Config;
using SpecSynth.State;

namespace SpecSynth.Caching;

/// <summary>
/// The response cache's storage for a run: the local SQLite file (<c>StatePaths.CacheDir/responses.db</c>, which also
/// keeps the hit/miss counters), or Redis when <c>[cache] url</c> / <c>[shared] redis</c> names one, falling back to the
/// local file with one warning when Redis cannot be reached. Dispose to close both.
/// </summary>
internal sealed class ResponseCacheStore : IDisposable
{
    /// <summary>The prefix of every response-cache key in Redis.</summary>
    public const string RedisPrefix = "specsynth:cache:";

    /// <summary>The SQLite file's name in the cache folder.</summary>
    public const string FileName = "responses.db";

    private readonly ISharedResponseCache? _redis;
    private long _hits;
    private long _misses;

    private ResponseCacheStore(SqliteDistributedCache local, ISharedResponseCache? redis, Action<string>? onWarning)
    {
        Local = local;
        _redis = redis;
        if (redis is null)
        {
            Cache = local;
            return;
        }
        Cache = new FailoverDistributedCache(redis.Cache, local, "at " + redis.Display, onWarning);
    }

    /// <summary>The store the caching middleware uses.</summary>
    public IDistributedCache Cache { get; }

    /// <summary>The local SQLite cache (the store itself, or the fallback of Redis).</summary>
    internal SqliteDistributedCache Local { get; }

    /// <summary>Opens the store for <paramref name="cache"/> and <paramref name="shared"/>; nothing connects to Redis yet.</summary>
    /// <param name="cache">The <c>[cache]</c> settings.</param>
    /// <param name="shared">The <c>[shared]</c> settings.</param>
    /// <param name="getEnv">Reads environment variables (the state folder).</param>
    /// <param name="onWarning">Hears the one warning when Redis is lost.</param>
    /// <param name="time">The clock of expiry.</param>
    /// <param name="backend">Opens a Redis cache (the <c>SpecSynth.Redis</c> package); <c>null</c> keeps the cache local, with
    /// one warning when a Redis is configured.</param>
    public static ResponseCacheStore Open(CacheOptions cache, SharedStateOptions shared, Func<string, string?> getEnv,
        Action<string>? onWarning, TimeProvider time, SharedStateBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(getEnv);
        var local = new SqliteDistributedCache(Path.Combine(StatePaths.CacheDir(getEnv), FileName), time, onWarning);
        var url = cache.Url ?? shared.Redis;
        if (url is not null && backend is null)
        {
            onWarning?.Invoke(SharedStateBackend.MissingWarning);
        }
        return new ResponseCacheStore(local, url is null || backend is null ? null : backend.OpenCache(url), onWarning);
    }

    /// <summary>
    /// Puts the caching middleware in front of <paramref name="inner"/> (the whole provider pipeline). The returned
    /// client owns this store and disposes it. With <see cref="CacheMode.Off"/> the client passes everything through.
    /// </summary>
    /// <param name="inner">The pipeline.</param>
    /// <param name="mode">Read and write, refresh or off.</param>
    /// <param name="ttl">How long entries live.</param>
    /// <param name="chain">Per provider of the chain, what identifies its replies beyond the request (see
    /// <see cref="ChainKey"/>).</param>
    public IChatClient Wrap(IChatClient inner, CacheMode mode, TimeSpan ttl, IReadOnlyList<string> chain) =>
        new OwningClient(new ResponseCachingChatClient(inner, Cache, mode, ttl, chain, Count), this);

    /// <summary>One provider's part of the key: name, model, output cap, temperature and endpoint (never a key).</summary>
    public static string ChainKey(string provider, string? model, ProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.Join('|', provider, model ?? "", config.MaxTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            config.Temperature?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "", config.BaseUrl ?? "");
    }

    /// <summary>Entries and bytes of the active backend, with the local hit/miss counters.</summary>
    /// <exception cref="SpecSynthException">Redis is configured but cannot be reached (<see cref="ErrorKind.ProviderUnavailable"/>).</exception>
    public async Task<CacheStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        var (backend, location, maintenance) = Active();
        var (entries, bytes) = await Guard(() => maintenance.CountAsync(cancellationToken)).ConfigureAwait(false);
        return new CacheStats(backend, location, entries, bytes, Local.Counter("hits"), Local.Counter("misses"));
    }

    /// <summary>Removes every entry of the active backend (and resets the counters); returns how many entries were removed.</summary>
    /// <exception cref="SpecSynthException">Redis is configured but cannot be reached (<see cref="ErrorKind.ProviderUnavailable"/>).</exception>
    public async Task<long> ClearAsync(CancellationToken cancellationToken = default)
    {
        var (_, _, maintenance) = Active();
        var removed = await Guard(() => maintenance.ClearAsync(cancellationToken)).ConfigureAwait(false);
        if (maintenance != (ICacheMaintenance)Local)
        {
            await Local.ClearAsync(cancellationToken).ConfigureAwait(false);
        }
        return removed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        FlushCounters();
        Local.Dispose();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private (string Backend, string Location, ICacheMaintenance Maintenance) Active() =>
        _redis is null ? ("sqlite", Local.Path, Local) : ("redis", _redis.Display, _redis.Maintenance);

    private async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (_redis is not null && _redis.IsUnreachable(ex))
        {
            throw new SpecSynthException(ErrorKind.ProviderUnavailable,
                $"The shared cache at {_redis!.Display} is not reachable ({ex.GetType().Name}); start Redis or remove [cache] url / [shared] redis.", ex);
        }
    }

    // Counted in memory and written once when the run ends: a hit must not cost a write.
    private void Count(bool hit) => Interlocked.Increment(ref hit ? ref _hits : ref _misses);

    private void FlushCounters()
    {
        try
        {
            Local.Add("hits", Interlocked.Exchange(ref _hits, 0));
            Local.Add("misses", Interlocked.Exchange(ref _misses, 0));
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Statistics only: a busy or read-only state file must not fail the run.
        }
    }

    /// <summary>The caching client, disposing the store with it.</summary>
    private sealed class OwningClient(ResponseCachingChatClient inner, ResponseCacheStore store) : DelegatingChatClient(inner)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                store.Dispose();
            }
        }
    }
}
