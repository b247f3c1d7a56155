using Microsoft.Extensions.Caching.Distributed;

namespace SpecSynth.Caching;

/// <summary>
/// The local response cache with its writes taken off the request's path: a write is queued in memory (reads of this
/// process see it at once) and a background writer puts what is queued into the SQLite file in one transaction. It is a
/// cache, so a kill may lose what is still queued (those requests simply miss next time), never corrupt an entry: each
/// batch is one SQLite transaction. At most <see cref="MaxQueued"/> entries wait; a write beyond that writes the queue on
/// the caller's thread. Removing, clearing, counting and disposing write the queue first. Thread-safe.
/// </summary>
internal sealed class WriteBehindCache : IDistributedCache, ICacheMaintenance, IDisposable
{
    /// <summary>The most entries that wait for the writer.</summary>
    public const int MaxQueued = 256;

    private readonly SqliteDistributedCache _inner;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Held by whoever writes a batch (the background writer, a flush), so batches go in one at a time.</summary>
    private readonly Lock _writer = new();

    private Dictionary<string, Entry> _queued = new(StringComparer.Ordinal);

    /// <summary>The batch being written (still visible to reads until it is committed).</summary>
    private Dictionary<string, Entry>? _writing;

    private bool _draining;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="time"/> resolves relative expiries when an entry is queued.</summary>
    public WriteBehindCache(SqliteDistributedCache inner, TimeProvider time)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Failures of the background writer (statistics and tests; a lost entry is only a later miss).</summary>
    internal int WriteFailures { get; private set; }

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if ((_queued.TryGetValue(key, out var entry) || _writing?.TryGetValue(key, out entry) == true) && entry is not null)
            {
                return entry.LiveAt(_time.GetUtcNow()) ? entry.Value : null;
            }
        }
        return _inner.Get(key);
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
        var now = _time.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : null);
        if (absolute is { } a && a <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The absolute expiration is in the past.");
        }
        // Relative expiry becomes absolute now, so the entry lives as long as if it had been written at once.
        var entry = new Entry(value, new DistributedCacheEntryOptions { AbsoluteExpiration = absolute, SlidingExpiration = options.SlidingExpiration });
        bool start;
        bool full;
        lock (_gate)
        {
            _queued[key] = entry;
            full = _queued.Count >= MaxQueued;
            start = !full && !_draining;
            _draining |= start;
        }
        if (full)
        {
            // Back-pressure: the writer is behind, so this caller writes the queue itself.
            Flush();
        }
        else if (start)
        {
            _ = Task.Run(Drain);
        }
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
        Flush();
        _inner.Refresh(key);
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
        Flush();
        _inner.Remove(key);
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
        Flush();
        return _inner.CountAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> ClearAsync(CancellationToken cancellationToken = default)
    {
        Flush();
        return _inner.ClearAsync(cancellationToken);
    }

    /// <summary>Writes everything queued so far, on this thread (a failure is thrown to the caller).</summary>
    public void Flush()
    {
        lock (_writer)
        {
            WriteQueued();
        }
    }

    /// <summary>Writes what is queued (the file itself is closed by its owner, after this).</summary>
    public void Dispose()
    {
        try
        {
            Flush();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or IOException)
        {
            // A cache: the queued entries are lost (later misses), the run is not failed for them.
        }
    }

    /// <summary>The background writer: writes batches until the queue is empty.</summary>
    private void Drain()
    {
        while (true)
        {
            lock (_writer)
            {
                try
                {
                    WriteQueued();
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or IOException)
                {
                    // Busy past the timeout, disk full, closed: the batch is lost (later misses), never half written.
                    WriteFailures++;
                }
            }
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _draining = false;
                    return;
                }
            }
        }
    }

    /// <summary>Takes the queue and writes it as one transaction (called holding <see cref="_writer"/>).</summary>
    private void WriteQueued()
    {
        Dictionary<string, Entry> batch;
        lock (_gate)
        {
            if (_queued.Count == 0)
            {
                return;
            }
            batch = _queued;
            _queued = new(StringComparer.Ordinal);
            _writing = batch;
        }
        try
        {
            _inner.SetMany([.. batch.Select(e => (e.Key, e.Value.Value, e.Value.Options))]);
        }
        finally
        {
            lock (_gate)
            {
                _writing = null;
            }
        }
    }

    private sealed record Entry(byte[] Value, DistributedCacheEntryOptions Options)
    {
        public bool LiveAt(DateTimeOffset now) => Options.AbsoluteExpiration is not { } absolute || absolute > now;
    }
}
