using Microsoft.Extensions.Caching.Distributed;

namespace SpecSynth.Caching;

/// <summary>
/// The response-cache entries of one cache file waiting to be written, shared by every store of that file in this process
/// (one queue per real path, so a second pipeline over the same file reads what the first has only queued). A background
/// writer puts what is queued into the file, one SQLite transaction per batch (a batch is in the file whole or not at all;
/// a failure or a kill loses it, which only makes those requests miss later). At most <see cref="MaxQueued"/> entries wait;
/// a write beyond that writes the queue on the caller's thread. Stores take a reference with <see cref="Acquire"/> and give
/// it back with <see cref="Release"/>; the last release writes what is left, and so does the process's exit. Thread-safe.
/// </summary>
internal sealed class CacheWriteQueue
{
    /// <summary>The most entries that wait for the writer.</summary>
    public const int MaxQueued = 256;

    private static readonly Lock s_registryGate = new();
    private static readonly Dictionary<string, CacheWriteQueue> s_registry = new(Output.RealPath.Comparison == StringComparison.Ordinal
        ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
    private static bool s_exitHooked;

    private readonly Lock _gate = new();

    /// <summary>Held by whoever writes a batch (the background writer, a flush), so batches go in one at a time and in order.</summary>
    private readonly Lock _writer = new();

    private Dictionary<string, Entry> _queued = new(StringComparer.Ordinal);

    /// <summary>The batch being written (still read from until it is committed).</summary>
    private Dictionary<string, Entry>? _writing;

    private bool _draining;
    private int _references;

    private CacheWriteQueue(string path) => Path = path;

    /// <summary>The cache file's real path (the registry's key).</summary>
    public string Path { get; }

    /// <summary>Batches the background writer could not write (their entries are lost: later misses).</summary>
    internal int WriteFailures { get; private set; }

    /// <summary>The queue of the cache file at <paramref name="path"/> (symbolic links resolved), with one more reference.</summary>
    public static CacheWriteQueue Acquire(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var key = RealPathOf(path);
        lock (s_registryGate)
        {
            if (!s_exitHooked)
            {
                // A host that never disposes its pipeline still gets its queued entries written.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => FlushAll();
                s_exitHooked = true;
            }
            if (!s_registry.TryGetValue(key, out var queue))
            {
                queue = new CacheWriteQueue(key);
                s_registry.Add(key, queue);
            }
            queue._references++;
            return queue;
        }
    }

    /// <summary>Gives back a reference; the last one writes what is still queued and takes the queue out of the registry
    /// (a failure is reported to the entries' owners, not thrown).</summary>
    public void Release()
    {
        lock (s_registryGate)
        {
            if (--_references > 0)
            {
                return;
            }
            s_registry.Remove(Path);
        }
        Flush(rethrow: false);
    }

    /// <summary>The queued value of <paramref name="key"/>: <c>true</c> when it is queued (<paramref name="value"/> is then
    /// the value, or <c>null</c> when it has expired at <paramref name="now"/>), <c>false</c> when the file must be asked.</summary>
    public bool TryGet(string key, DateTimeOffset now, out byte[]? value)
    {
        lock (_gate)
        {
            if (_queued.TryGetValue(key, out var entry) || (_writing is not null && _writing.TryGetValue(key, out entry)))
            {
                value = entry.Absolute is { } absolute && absolute <= now ? null : entry.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>Queues <paramref name="value"/> under <paramref name="key"/>, to be written through <paramref name="target"/>;
    /// <paramref name="owner"/> hears a failed write.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="value">The entry (not copied: the caller must not change it).</param>
    /// <param name="absolute">When it expires (already resolved from a relative expiry).</param>
    /// <param name="sliding">Its sliding expiry, if any.</param>
    /// <param name="target">The connection that writes it (any connection of this file).</param>
    /// <param name="owner">Told when the write fails.</param>
    public void Enqueue(string key, byte[] value, DateTimeOffset? absolute, TimeSpan? sliding, SqliteDistributedCache target,
        Action<int, Exception>? owner)
    {
        var entry = new Entry(value, absolute, sliding, target, owner);
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
            Flush(rethrow: true);
        }
        else if (start)
        {
            _ = Task.Run(Drain);
        }
    }

    /// <summary>Writes everything queued so far, on this thread.</summary>
    /// <param name="rethrow">Throw a write's failure to the caller (after telling the owners); otherwise only tell them.</param>
    public void Flush(bool rethrow = true)
    {
        lock (_writer)
        {
            try
            {
                WriteQueued();
            }
            catch (Exception ex) when (!rethrow && IsWriteFailure(ex))
            {
            }
        }
    }

    /// <summary>Writes the queue of every file (the process is exiting).</summary>
    private static void FlushAll()
    {
        CacheWriteQueue[] queues;
        lock (s_registryGate)
        {
            queues = [.. s_registry.Values];
        }
        foreach (var queue in queues)
        {
            queue.Flush(rethrow: false);
        }
    }

    /// <summary>The background writer: writes batches until the queue is empty.</summary>
    private void Drain()
    {
        while (true)
        {
            Flush(rethrow: false);
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

    /// <summary>Takes the queue and writes it, one transaction per connection (called holding <see cref="_writer"/>).</summary>
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
            Exception? first = null;
            // Usually one connection; entries queued through stores that each opened the file are written by their own.
            foreach (var group in batch.GroupBy(e => e.Value.Target))
            {
                var entries = group.Select(e => (e.Key, e.Value.Value, new DistributedCacheEntryOptions
                {
                    AbsoluteExpiration = e.Value.Absolute,
                    SlidingExpiration = e.Value.Sliding,
                })).ToList();
                try
                {
                    group.Key.SetMany(entries);
                }
                catch (Exception ex) when (IsWriteFailure(ex))
                {
                    WriteFailures++;
                    foreach (var owner in group.Select(e => e.Value.Owner).Distinct())
                    {
                        owner?.Invoke(entries.Count, ex);
                    }
                    first ??= ex;
                }
            }
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
        }
        finally
        {
            lock (_gate)
            {
                _writing = null;
            }
        }
    }

    /// <summary>What a write of the cache can fail with and the run must survive (busy past the timeout, disk full or
    /// read-only, a corrupt file, a connection already closed).</summary>
    private static bool IsWriteFailure(Exception ex) =>
        ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or IOException or UnauthorizedAccessException or SpecSynthException;

    private static string RealPathOf(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            return Output.RealPath.Resolve(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    private sealed record Entry(byte[] Value, DateTimeOffset? Absolute, TimeSpan? Sliding, SqliteDistributedCache Target,
        Action<int, Exception>? Owner);
}
