using Microsoft.Extensions.Caching.Distributed;

namespace SpecSynth.Caching;

/// <summary>
/// One store's view of the local response cache with its writes taken off the request's path: a write goes to the file's
/// <see cref="CacheWriteQueue"/> (shared by every store of that file in this process, so each of them reads it at once)
/// and a background writer puts it in the file. It is a cache, so a kill may lose what is still queued (those requests
/// simply miss next time), never corrupt an entry. Removing, refreshing, counting and clearing write the queue first;
/// disposing writes it and gives the queue back (the file itself is closed by its owner, after this). Thread-safe.
/// </summary>
internal sealed class WriteBehindCache : IDistributedCache, ICacheMaintenance, IDisposable
{
    private readonly SqliteDistributedCache _file;
    private readonly CacheWriteQueue _queue;
    private readonly TimeProvider _time;
    private readonly Action<int, Exception> _onWriteFailed;
    private int _disposed;

    /// <summary>Writes behind <paramref name="file"/> through the queue of its file.</summary>
    /// <param name="file">This store's connection to the cache file.</param>
    /// <param name="time">Resolves relative expiries when an entry is queued, and expires queued entries.</param>
    /// <param name="onWriteFailed">Hears a background write that failed (entries lost, the failure); never given keys or values.</param>
    public WriteBehindCache(SqliteDistributedCache file, TimeProvider time, Action<int, Exception>? onWriteFailed = null)
    {
        _file = file ?? throw new ArgumentNullException(nameof(file));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _onWriteFailed = onWriteFailed ?? ((_, _) => { });
        _queue = CacheWriteQueue.Acquire(file.Path);
    }

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _queue.TryGet(key, _time.GetUtcNow(), out var queued) ? queued : _file.Get(key);
    }

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        return Task.FromResult(Get(key));
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var now = _time.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : null);
        if (absolute is { } a && a <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The absolute expiration is in the past.");
        }
        // A relative expiry becomes absolute now, so the entry lives as long as if it had been written at once.
        _queue.Enqueue(key, value, absolute, options.SlidingExpiration, _file, _onWriteFailed);
    }

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Set(key, value, options);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
        _queue.Flush();
        _file.Refresh(key);
    }

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Refresh(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        _queue.Flush();
        _file.Remove(key);
    }

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Remove(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<(long Entries, long Bytes)> CountAsync(CancellationToken cancellationToken = default)
    {
        _queue.Flush();
        return _file.CountAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> ClearAsync(CancellationToken cancellationToken = default)
    {
        _queue.Flush();
        return _file.ClearAsync(cancellationToken);
    }

    /// <summary>Writes everything queued for this file so far, on this thread (a failure is thrown).</summary>
    public void Flush() => _queue.Flush();

    /// <summary>Writes what is queued (a failure is reported, not thrown) and gives the queue back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Flush(rethrow: false);
            _queue.Release();
        }
    }
}
