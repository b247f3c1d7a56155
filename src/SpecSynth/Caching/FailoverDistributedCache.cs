using Microsoft.Extensions.Caching.Distributed;

namespace SpecSynth.Caching;

/// <summary>
/// A shared cache (Redis) backed by a local one (SQLite): every operation goes to the primary until it fails once
/// (unreachable at start, dropped mid-run, timed out); from then on, for the rest of the run, everything goes to the
/// fallback, after ONE warning. A cache that is down never fails a command.
/// </summary>
internal sealed class FailoverDistributedCache : IDistributedCache
{
    private readonly IDistributedCache _primary;
    private readonly IDistributedCache _fallback;
    private readonly string _primaryName;
    private readonly Action<string>? _onWarning;
    private int _down;

    /// <summary>Creates the pair.</summary>
    /// <param name="primary">The shared store.</param>
    /// <param name="fallback">The local store used once the primary failed.</param>
    /// <param name="primaryName">How the warning names the primary (never with a password).</param>
    /// <param name="onWarning">Hears the one warning.</param>
    public FailoverDistributedCache(IDistributedCache primary, IDistributedCache fallback, string primaryName, Action<string>? onWarning)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(fallback);
        _primary = primary;
        _fallback = fallback;
        _primaryName = primaryName;
        _onWarning = onWarning;
    }

    /// <summary>Whether the primary failed and the fallback answers now.</summary>
    public bool IsDegraded => Volatile.Read(ref _down) == 1;

    /// <inheritdoc />
    public byte[]? Get(string key) => Run(c => c.Get(key));

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => RunAsync(c => c.GetAsync(key, token), token);

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Run(c =>
    {
        c.Set(key, value, options);
        return true;
    });

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync(async c =>
        {
            await c.SetAsync(key, value, options, token).ConfigureAwait(false);
            return true;
        }, token);

    /// <inheritdoc />
    public void Refresh(string key) => Run(c =>
    {
        c.Refresh(key);
        return true;
    });

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) =>
        RunAsync(async c =>
        {
            await c.RefreshAsync(key, token).ConfigureAwait(false);
            return true;
        }, token);

    /// <inheritdoc />
    public void Remove(string key) => Run(c =>
    {
        c.Remove(key);
        return true;
    });

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default) =>
        RunAsync(async c =>
        {
            await c.RemoveAsync(key, token).ConfigureAwait(false);
            return true;
        }, token);

    private T Run<T>(Func<IDistributedCache, T> operation)
    {
        if (!IsDegraded)
        {
            try
            {
                return operation(_primary);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Degrade(ex);
            }
        }
        return operation(_fallback);
    }

    private async Task<T> RunAsync<T>(Func<IDistributedCache, Task<T>> operation, CancellationToken token)
    {
        if (!IsDegraded)
        {
            try
            {
                return await operation(_primary).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && token.IsCancellationRequested))
            {
                Degrade(ex);
            }
        }
        return await operation(_fallback).ConfigureAwait(false);
    }

    private void Degrade(Exception ex)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            _onWarning?.Invoke($"the shared cache {_primaryName} is not reachable ({ex.GetType().Name}); using the local cache for the rest of this run");
        }
    }
}
