using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using SpecSynth.State;

namespace SpecSynth.Caching;

/// <summary>
/// An <see cref="IDistributedCache"/> in one SQLite file (opened by <see cref="SqliteDatabase.Open"/>: WAL, busy timeout),
/// so several processes can share it. Absolute and sliding expiry are honoured; expired rows are never returned and are
/// purged lazily on writes. Thread-safe: writes go through one connection under a lock, and a read of an entry goes
/// through a second connection under its own lock, so a cache-miss read never waits for a grouped commit that holds the
/// write connection through its transaction (issue 19: at 16 requests in flight, the reads spun and then queued behind
/// every commit; in WAL a reader sees every committed write and never waits for the writer). Dispose to close the file.
/// <see cref="Stage"/> is the write-behind of the response cache's misses (issue 19): the entry is visible to this cache's
/// reads at once and written, with the others staged meanwhile, in one transaction <see cref="StageDelay"/> later (or when
/// the cache is disposed), instead of one small commit per request that the request waits for. A miss is answered without
/// a read of the file while nobody else has committed to it since this cache's last commit (<see cref="KnownKeys"/>;
/// issue 19: every commit resets the read connection's page cache, so each miss re-read its B-tree descent from the log).
/// </summary>
internal sealed class SqliteDistributedCache : IDistributedCache, ICacheMaintenance, IDisposable
{
    /// <summary>
    /// The entries in insertion order (<c>cache_items</c>, rowid), found through their 64-bit <see cref="EntryHash"/> by two
    /// tables of pointers (hash → rowid, the hash as the rowid: 16 bytes a cell), and checked against the full key (issue 19).
    /// A new entry's pointer goes into <c>cache_recent</c>, which holds at most about <see cref="MergeRows"/> pointers per
    /// writer (a few leaves, rewritten by every commit anyway); once a writer has added that many, its commit moves them all
    /// into <c>cache_slots</c> in hash order. Session 15's schema indexed every entry's hash in one unique index of the whole
    /// file, so each entry of a commit dirtied its own random leaf of it (a 4 KB log frame, copied again by the checkpoint):
    /// 0.6 of the 0.8 log frames an entry at 100 entries a commit in a file of 16,000, growing with the file. Here those
    /// leaves are written once per <see cref="MergeRows"/> entries. Every lookup stays two b-tree probes and a rowid read,
    /// for any reader (another process, <c>specsynth cache</c>): never a scan. Each hash has at most one entry and one
    /// pointer (a writer finds the entry of a hash and rewrites it; the triggers keep the pointers and the entries
    /// together): two keys with one hash replace each other's entry (a cache may lose an entry, never serve another key's:
    /// reads compare the key).
    /// </summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS cache_items (
            hash INTEGER NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            expires_at INTEGER NULL,
            sliding_ms INTEGER NULL,
            absolute_at INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS cache_items_expiry ON cache_items(expires_at);
        CREATE TABLE IF NOT EXISTS cache_recent (hash INTEGER PRIMARY KEY, item INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS cache_slots (hash INTEGER PRIMARY KEY, item INTEGER NOT NULL);
        CREATE TRIGGER IF NOT EXISTS cache_items_added AFTER INSERT ON cache_items BEGIN
            INSERT INTO cache_recent (hash, item) VALUES (new.hash, new.rowid);
        END;
        CREATE TRIGGER IF NOT EXISTS cache_items_removed AFTER DELETE ON cache_items BEGIN
            DELETE FROM cache_recent WHERE hash = old.hash AND item = old.rowid;
            DELETE FROM cache_slots WHERE hash = old.hash AND item = old.rowid;
        END;
        CREATE TABLE IF NOT EXISTS cache_counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
        """;

    /// <summary>The tables of earlier schemas, emptied when a file still has entries in them: <c>cache_entries</c> (before
    /// session 15, keyed by the text key) and <c>entries</c> (session 15, one unique index of the hashes). Their entries are
    /// not carried over (a cache: one cold start), and a file is never read through two schemas. The tables themselves are
    /// kept: an earlier release with the file open at that moment goes on working with them (a dropped table would fail its
    /// prepared statements), and one that opens it later finds its own schema.</summary>
    internal static readonly string[] FormerTables = ["cache_entries", "entries"];

    /// <summary>The rowid of the entry of a hash (parameter 1), or NULL: its pointer in either table.</summary>
    private const string ItemOf = "coalesce((SELECT item FROM cache_recent WHERE hash = ?1), (SELECT item FROM cache_slots WHERE hash = ?1))";

    /// <summary><see cref="ItemOf"/> for the named parameter <c>$hash</c>.</summary>
    private const string ItemOfHash = "coalesce((SELECT item FROM cache_recent WHERE hash = $hash), (SELECT item FROM cache_slots WHERE hash = $hash))";

    /// <summary>A live entry's value and expiry settings (parameters: hash, key, now in Unix ms).</summary>
    private const string SelectSql =
        $"SELECT value, sliding_ms, absolute_at FROM cache_items WHERE rowid = {ItemOf} AND key = ?2 AND (expires_at IS NULL OR expires_at > ?3)";

    /// <summary>The entry of a hash, if any (parameter: hash).</summary>
    private const string FindSql = $"SELECT {ItemOf}";

    /// <summary>Writes a new entry (parameters: hash, key, value, expires, sliding, absolute); its pointer is added by the trigger.</summary>
    private const string InsertSql =
        "INSERT INTO cache_items (hash, key, value, expires_at, sliding_ms, absolute_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    /// <summary>Rewrites the entry of a hash in place (parameters: hash, key, value, expires, sliding, absolute, rowid).</summary>
    private const string UpdateSql =
        "UPDATE cache_items SET key = ?2, value = ?3, expires_at = ?4, sliding_ms = ?5, absolute_at = ?6 WHERE rowid = ?7 AND hash = ?1";

    /// <summary>Moves every recent pointer into the slots, in hash order (the recent table's rowid).</summary>
    private const string MergeSql = "INSERT OR REPLACE INTO cache_slots (hash, item) SELECT hash, item FROM cache_recent; DELETE FROM cache_recent;";

    /// <summary>How many entries a writer adds before its commit moves the recent pointers into the slots (<see cref="Schema"/>):
    /// a few leaves of recent pointers (about 230 a leaf), and a move that writes each leaf of the slots once for many
    /// entries.</summary>
    internal const int MergeRows = 1024;

    private readonly SqliteConnection _connection;
    private readonly PreparedStatements _statements;

    // The per-request read and write, bound natively (no binder object, box or UTF-8 copy per value; issue 19).
    private readonly NativeStatement _find;
    private readonly NativeStatement _insert;
    private readonly NativeStatement _update;

    /// <summary>Entries this cache has added since its last move of the recent pointers (under <see cref="_gate"/>).</summary>
    private int _unmerged;
    private readonly TimeProvider _time;

    /// <summary>Guards the write connection (<see cref="_connection"/>, <see cref="_statements"/>, <see cref="_find"/>,
    /// <see cref="_insert"/>, <see cref="_update"/>).</summary>
    private readonly Lock _gate = new();

    /// <summary>The read connection (query only) and its entry read, under <see cref="_readGate"/>.</summary>
    private readonly SqliteConnection _reader;
    private readonly NativeStatement _select;
    private readonly Lock _readGate = new();

    /// <summary>Checkpoints the log off the request path (the write connection's own automatic checkpoint is a backstop).</summary>
    private readonly WalCheckpointer _checkpointer;

    /// <summary>Answers misses without a read while nobody else writes the file (<c>null</c>: the file's wal-index header
    /// cannot be read, every read goes to the file).</summary>
    private readonly KnownKeys? _known;
    private readonly GroupCommit<Row> _writes;
    private bool _disposed;

    /// <summary>Entries staged and not yet committed, by key (<see cref="Stage"/>), under <see cref="_stageGate"/>.</summary>
    private readonly Dictionary<string, Row> _staged = new(StringComparer.Ordinal);
    private readonly Lock _stageGate = new();
    private readonly Action<string>? _onWarning;
    private ITimer? _stageTimer;
    private bool _flushQueued;
    private bool _stageClosed;
    private int _warned;

    /// <summary>The earliest expiry this cache knows of (Unix ms): a write purges only once it has passed (<c>null</c>:
    /// not known yet, so the first write purges and reads it).</summary>
    private long? _earliestExpiry;

    /// <summary>Opens (creating when missing) the cache file <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="time">The clock of expiry and of <see cref="StageDelay"/>.</param>
    /// <param name="onWarning">Hears, once, that staged entries could not be written (<see cref="Stage"/>).</param>
    /// <exception cref="SpecSynthException">The file cannot be used (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public SqliteDistributedCache(string path, TimeProvider time, Action<string>? onWarning = null)
    {
        Path = path;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _onWarning = onWarning;
        _connection = SqliteDatabase.Open(path, Schema);
        try
        {
            EmptyFormerTables(_connection);
            WalCheckpointer.Backstop(_connection, CheckpointPages);
            _find = new NativeStatement(_connection, FindSql);
            _insert = new NativeStatement(_connection, InsertSql);
            _update = new NativeStatement(_connection, UpdateSql);
            // Opened after the write connection has created the schema; it never writes (sliding expiry is touched through
            // the write connection).
            _reader = SqliteDatabase.Open(path, "");
            SqliteDatabase.Execute(_reader, "PRAGMA query_only = ON;");
            _select = new NativeStatement(_reader, SelectSql);
        }
        catch
        {
            _find?.Dispose();
            _insert?.Dispose();
            _update?.Dispose();
            _reader?.Dispose();
            _connection.Dispose();
            throw;
        }
        _statements = new PreparedStatements(_connection);
        _checkpointer = new WalCheckpointer(path, _gate, CheckpointPages);
        _writes = new(Upsert, retryAlone: true);
        if (WalIndexHeader.TryOpen(path) is { } header)
        {
            _known = new KnownKeys(header);
            // Off the caller's thread: a large file's keys take a while to read, and reads go to the file meanwhile.
            ThreadPool.UnsafeQueueUserWorkItem(static cache => cache.LoadKnownKeys(), this, preferLocal: false);
        }
    }

    /// <summary>How long a staged entry waits for the entries staged after it before they are written together (issue 19:
    /// 20 ms rather than 5: at 16 requests in flight a commit of four times as many entries adds a third fewer log frames
    /// per entry, each entry's random key-index leaf being shared more often, and a quarter of the commits' locks and timer
    /// wake-ups; other processes see an entry that much later, this one at once).</summary>
    public static TimeSpan StageDelay { get; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The log pages after which this file is checkpointed (<see cref="WalCheckpointer"/>): four times SQLite's
    /// default (issue 19). A checkpoint copies each page once however often the log holds it, and the cache's commits
    /// rewrite the same key-index leaves over and over: a quarter of the checkpoints copy well under a quarter of the
    /// pages more each, with a third of the <c>fsync</c>s. The log then reaches about 16 MB (4 KB pages) before it
    /// restarts, and is removed when the last connection closes.</summary>
    internal const int CheckpointPages = 4 * WalCheckpointer.Pages;

    /// <summary>How many entries may wait to be written (<see cref="Stage"/>): beyond, the caller writes and waits as before,
    /// so a file whose writes stall (another process holding its lock) bounds this process's memory and slows its requests.</summary>
    public const int MaxStaged = 1024;

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Whether misses are answered without a read of the file now (<see cref="KnownKeys"/>; tests).</summary>
    internal bool AnswersMissesWithoutRead => _known?.Trusted == true;

    /// <summary>Entries staged that could not be written (counted; the first failure is reported once).</summary>
    public int FailedStagedWrites => Volatile.Read(ref _failedStaged);

    private int _failedStaged;

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = Now();
        if (Staged(key, now) is { } staged)
        {
            return staged;
        }
        var hash = EntryHash.Of(key);
        if (_known is { } known && known.SurelyAbsent(hash))
        {
            return null;
        }
        (byte[] Value, long? Sliding, long? Absolute) found;
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Read(_select, hash, key, now) is not { } read)
            {
                return null;
            }
            found = read;
        }
        if (found.Sliding is { } sliding)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                Touch(key, now, sliding, found.Absolute);
            }
        }
        return found.Value;
    }

    /// <summary>The live entry of <paramref name="key"/> (of <paramref name="hash"/>) through <paramref name="select"/> (under its connection's lock).</summary>
    private static (byte[] Value, long? Sliding, long? Absolute)? Read(NativeStatement select, long hash, string key, long now)
    {
        select.Bind(1, hash);
        select.Bind(2, key);
        select.Bind(3, now);
        try
        {
            return select.Step() ? (select.Blob(0), select.Int64(1), select.Int64(2)) : null;
        }
        finally
        {
            select.Reset();
        }
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
        var row = Entry(key, value, options);
        Unstage(key);
        Upsert([row]);
    }

    /// <inheritdoc />
    /// <remarks>Entries set while the pool is busy share one transaction (<see cref="GroupCommit{T}"/>); the task completes
    /// once the entry is committed (the token is heard before the entry is handed over, not while its commit runs).</remarks>
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        var row = Entry(key, value, options);
        Unstage(key);
        return _writes.WriteAsync(row);
    }

    /// <summary>
    /// Stores an entry without waiting for it (write-behind): this cache's reads return it at once, and it is committed
    /// with every entry staged meanwhile in one transaction <see cref="StageDelay"/> later, or when the cache is disposed.
    /// Other processes see it once committed; an entry that cannot be written is counted (<see cref="FailedStagedWrites"/>)
    /// and reported once to the warning callback, never thrown (a cache write is not the caller's failure). A later
    /// <see cref="Set"/>, <see cref="SetAsync"/> or <see cref="Remove"/> of the key replaces or drops it.
    /// </summary>
    /// <returns><c>false</c> when <see cref="MaxStaged"/> entries already wait (nothing staged: write it with
    /// <see cref="SetAsync"/>).</returns>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    public bool Stage(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        var row = Entry(key, value, options);
        lock (_stageGate)
        {
            ObjectDisposedException.ThrowIf(_stageClosed, this);
            if (_staged.Count >= MaxStaged && !_staged.ContainsKey(key))
            {
                return false;
            }
            _staged[key] = row;
            if (_flushQueued)
            {
                return true;
            }
            _flushQueued = true;
            // The timer queues the commit rather than running it: every timer of the process fires on one thread, and a
            // commit there would hold up the others (attempt timeouts, delays, rate limits) for as long as it takes.
            _stageTimer ??= _time.CreateTimer(static cache => ThreadPool.UnsafeQueueUserWorkItem(static c => c.FlushStaged(),
                (SqliteDistributedCache)cache!, preferLocal: false), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _stageTimer.Change(StageDelay, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>A staged entry's value while it lives, else <c>null</c>.</summary>
    private byte[]? Staged(string key, long now)
    {
        lock (_stageGate)
        {
            return _staged.Count > 0 && _staged.TryGetValue(key, out var row) && (row.Expires is not { } e || e > now) ? row.Value : null;
        }
    }

    /// <summary>Drops a staged entry of <paramref name="key"/> (a write or removal of the key supersedes it).</summary>
    private void Unstage(string key)
    {
        lock (_stageGate)
        {
            if (_staged.Count > 0)
            {
                _staged.Remove(key);
            }
        }
    }

    /// <summary>Commits every staged entry in one transaction (one by one when that fails, so one bad entry loses only
    /// itself), then drops them from the staged ones unless staged again meanwhile. Never throws.</summary>
    private void FlushStaged()
    {
        Row[] rows;
        lock (_stageGate)
        {
            _flushQueued = false;
            if (_staged.Count == 0)
            {
                return;
            }
            rows = [.. _staged.Values];
        }
        var started = BackgroundWork.Start();
        var failed = 0;
        Exception? first = null;
        try
        {
            Upsert(rows);
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException)
        {
            foreach (var row in rows)
            {
                try
                {
                    Upsert([row]);
                }
                catch (Exception one) when (one is SqliteException or ObjectDisposedException)
                {
                    failed++;
                    first ??= one;
                }
            }
        }
        lock (_stageGate)
        {
            foreach (var row in rows)
            {
                if (_staged.TryGetValue(row.Key, out var current) && ReferenceEquals(current.Value, row.Value))
                {
                    _staged.Remove(row.Key);
                }
            }
        }
        BackgroundWork.End("cache-flush", started);
        if (failed > 0)
        {
            Interlocked.Add(ref _failedStaged, failed);
            if (first is not ObjectDisposedException && Interlocked.Exchange(ref _warned, 1) == 0)
            {
                _onWarning?.Invoke($"the response cache could not store {failed} repl{(failed == 1 ? "y" : "ies")} ({first!.GetType().Name}: {first.Message}); the next run asks the provider again");
            }
        }
    }

    /// <summary>The row of an entry set now.</summary>
    private Row Entry(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        long? absolute = options.AbsoluteExpiration?.ToUnixTimeMilliseconds()
            ?? (options.AbsoluteExpirationRelativeToNow is { } rel ? (now + rel).ToUnixTimeMilliseconds() : null);
        long? sliding = options.SlidingExpiration is { } sl ? (long)sl.TotalMilliseconds : null;
        if (absolute is { } a && a <= now.ToUnixTimeMilliseconds())
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The absolute expiration is in the past.");
        }
        return new Row(key, EntryHash.Of(key), value, Expiry(now.ToUnixTimeMilliseconds(), sliding, absolute), sliding, absolute, now.ToUnixTimeMilliseconds());
    }

    /// <summary>Writes <paramref name="rows"/> in one <c>BEGIN IMMEDIATE</c> transaction (all or none), purging what has
    /// expired once the earliest expiry known has passed.</summary>
    private void Upsert(IReadOnlyList<Row> rows)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Write((cache: this, rows), static group =>
            {
                for (var i = 0; i < group.rows.Count; i++)
                {
                    group.cache.Upsert(group.rows[i]);
                }
                // (A transaction rolled back leaves the count off by its entries: it only times the next move.)
                if (group.cache._unmerged >= MergeRows)
                {
                    group.cache.Command(MergeSql).ExecuteNonQuery();
                    group.cache._unmerged = 0;
                }
            });
            _checkpointer.Committed(Pages(rows));
        }
    }

    /// <summary>Runs <paramref name="body"/> in one <c>BEGIN IMMEDIATE</c> transaction on the write connection (under
    /// <see cref="_gate"/>), telling <see cref="_known"/> where it begins and that it committed: every commit of this cache
    /// goes through here, so that a commit by anyone else is told apart from its own.</summary>
    private void Write<TState>(TState state, Action<TState> body)
    {
        _statements.InTransaction((known: _known, state, body), static write =>
        {
            write.known?.Begin();
            write.body(write.state);
        });
        _known?.Committed();
    }

    /// <summary>Deletes the entries of the former schemas' tables (<see cref="FormerTables"/>) when the file has any, in one
    /// <c>BEGIN IMMEDIATE</c> transaction (two processes opening the file at once: the second finds them empty). A file
    /// without them is only read.</summary>
    private static void EmptyFormerTables(SqliteConnection connection)
    {
        var full = FormerTables.Where(table => HasEntries(connection, table)).ToList();
        if (full.Count == 0)
        {
            return;
        }
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = string.Concat(full.Select(table => $"DELETE FROM {table};"));
            delete.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static bool HasEntries(SqliteConnection connection, string table)
    {
        using var find = connection.CreateCommand();
        find.CommandText = $"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '{table}'";
        if (find.ExecuteScalar() is null)
        {
            return false;
        }
        find.CommandText = $"SELECT 1 FROM {table} LIMIT 1";
        return find.ExecuteScalar() is not null;
    }

    /// <summary>Reads the hashes of every key in the file into <see cref="_known"/>, inside a write transaction so that
    /// nobody commits meanwhile (on the thread pool, once; on failure reads simply keep going to the file).</summary>
    private void LoadKnownKeys()
    {
        try
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                _statements.InTransaction(this, static cache =>
                {
                    // The hashes alone: read from the pointers, not from the entries (16 bytes an entry, not the whole file).
                    var hashes = new List<long>();
                    using (var keys = cache.Command("SELECT hash FROM cache_recent UNION ALL SELECT hash FROM cache_slots").ExecuteReader())
                    {
                        while (keys.Read())
                        {
                            hashes.Add(keys.GetInt64(0));
                        }
                    }
                    cache._known!.Loaded(hashes);
                });
            }
        }
        catch (SqliteException)
        {
            _known!.Abandon();
        }
    }

    /// <summary>About how many pages a commit of <paramref name="rows"/> adds to the log: the table's, the expiry index's
    /// and the recent pointers' leaves, the small rows' bytes, a large row's own pages, and per row its share of the slots'
    /// leaves rewritten by the next move.</summary>
    private static int Pages(IReadOnlyList<Row> rows)
    {
        var pages = 4 + (rows.Count / 4);
        var shared = 0L;
        for (var i = 0; i < rows.Count; i++)
        {
            var length = rows[i].Value.Length;
            if (length > 2048)
            {
                pages += 1 + (length / 4000); // its own leaf cell's page and its overflow pages
            }
            else
            {
                shared += length + (2 * rows[i].Key.Length) + 64;
            }
        }
        return pages + (int)(shared / 4096);
    }

    /// <summary>Writes one row (rewriting the entry of its hash when there is one) and purges when due (under the gate,
    /// in a transaction).</summary>
    private void Upsert(Row row)
    {
        // The hash known before its commit (no miss is answered for it once it is in the file); a hash the file surely
        // lacks needs no look-up (issue 19: two b-tree probes per new entry).
        long? item = null;
        if (_known?.Adding(row.Hash) != true)
        {
            _find.Bind(1, row.Hash);
            try
            {
                item = _find.Step() ? _find.Int64(0) : null;
            }
            finally
            {
                _find.Reset();
            }
        }
        var write = item is null ? _insert : _update;
        write.Bind(1, row.Hash);
        write.Bind(2, row.Key);
        write.BindBlob(3, row.Value);
        write.Bind(4, row.Expires);
        write.Bind(5, row.Sliding);
        write.Bind(6, row.Absolute);
        if (item is { } rowid)
        {
            write.Bind(7, rowid);
        }
        else
        {
            _unmerged++;
        }
        write.Execute();
        // Lazy purge: a write drops what has expired, once the earliest expiry known has passed (another process's
        // earlier entries are never returned meanwhile, and its own writes purge them).
        if (_earliestExpiry is not { } earliest || earliest <= row.Now)
        {
            var purge = Command("DELETE FROM cache_items WHERE expires_at IS NOT NULL AND expires_at <= $now", ("$now", row.Now));
            purge.ExecuteNonQuery();
            var next = Command("SELECT MIN(expires_at) FROM cache_items");
            _earliestExpiry = next.ExecuteScalar() is long min ? min : long.MaxValue;
        }
        else if (row.Expires is { } e && e < earliest)
        {
            _earliestExpiry = e;
        }
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        FlushStaged();
        var now = Now();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var select = Command($"SELECT sliding_ms, absolute_at FROM cache_items WHERE rowid = {ItemOfHash} AND key = $key AND (expires_at IS NULL OR expires_at > $now)",
                ("$hash", EntryHash.Of(key)), ("$key", key), ("$now", now));
            using var reader = select.ExecuteReader();
            if (reader.Read() && !reader.IsDBNull(0))
            {
                var sliding = reader.GetInt64(0);
                long? absolute = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                reader.Close();
                Touch(key, now, sliding, absolute);
            }
        }
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
        ArgumentNullException.ThrowIfNull(key);
        FlushStaged();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Write((cache: this, key), static remove =>
            {
                var delete = remove.cache.Command($"DELETE FROM cache_items WHERE rowid = {ItemOfHash} AND key = $key", ("$hash", EntryHash.Of(remove.key)), ("$key", remove.key));
                delete.ExecuteNonQuery();
            });
        }
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
        cancellationToken.ThrowIfCancellationRequested();
        FlushStaged();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var count = Command("SELECT COUNT(*), COALESCE(SUM(LENGTH(value)), 0) FROM cache_items WHERE expires_at IS NULL OR expires_at > $now",
                ("$now", Now()));
            using var reader = count.ExecuteReader();
            reader.Read();
            return Task.FromResult((reader.GetInt64(0), reader.GetInt64(1)));
        }
    }

    /// <inheritdoc />
    public Task<long> ClearAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        FlushStaged();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var live = Command("SELECT COUNT(*) FROM cache_items WHERE expires_at IS NULL OR expires_at > $now", ("$now", Now()));
            var removed = (long)live.ExecuteScalar()!;
            Write(this, static cache =>
            {
                var delete = cache.Command("DELETE FROM cache_items; DELETE FROM cache_recent; DELETE FROM cache_slots; DELETE FROM cache_counters;");
                delete.ExecuteNonQuery();
            });
            return Task.FromResult(removed);
        }
    }

    /// <summary>Adds <paramref name="amount"/> to a named counter (hits, misses); kept in this file.</summary>
    internal void Add(string name, long amount)
    {
        if (amount == 0)
        {
            return;
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Write((cache: this, name, amount), static add =>
            {
                var bump = add.cache.Command("INSERT INTO cache_counters (name, value) VALUES ($name, $amount) ON CONFLICT(name) DO UPDATE SET value = value + $amount",
                    ("$name", add.name), ("$amount", add.amount));
                bump.ExecuteNonQuery();
            });
        }
    }

    /// <summary>A named counter's value (0 when never incremented).</summary>
    internal long Counter(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var read = Command("SELECT value FROM cache_counters WHERE name = $name", ("$name", name));
            return read.ExecuteScalar() is long n ? n : 0;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // What is staged is written first (no new entry is staged from here on), while the file is open.
        lock (_stageGate)
        {
            _stageClosed = true;
            _stageTimer?.Dispose();
        }
        if (!Volatile.Read(ref _disposed))
        {
            FlushStaged();
        }
        // Outside the write lock: its checkpoint takes the write lock for its second pass.
        _checkpointer.Dispose();
        lock (_gate)
        {
            lock (_readGate)
            {
                if (!_disposed)
                {
                    _disposed = true;
                    _known?.Abandon();
                    _select.Dispose();
                    _reader.Dispose();
                    _find.Dispose();
                    _insert.Dispose();
                    _update.Dispose();
                    _statements.Dispose();
                    _connection.Dispose();
                    // Released after this cache's connections are closed: the last user in the process closes the -shm
                    // file's descriptor, which drops the process's POSIX locks on it (WalIndexHeader.Mappings).
                    _known?.Dispose();
                }
            }
        }
    }

    private void Touch(string key, long now, long sliding, long? absolute) =>
        Write((cache: this, key, expires: Expiry(now, sliding, absolute)), static touch =>
        {
            var update = touch.cache.Command($"UPDATE cache_items SET expires_at = $expires WHERE rowid = {ItemOfHash} AND key = $key",
                ("$hash", EntryHash.Of(touch.key)), ("$key", touch.key), ("$expires", touch.expires));
            update.ExecuteNonQuery();
        });

    private static long? Expiry(long now, long? sliding, long? absolute) => (sliding, absolute) switch
    {
        ({ } s, { } a) => Math.Min(now + s, a),
        ({ } s, null) => now + s,
        (null, { } a) => a,
        _ => null,
    };

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>An entry to write: its key and the key's <see cref="EntryHash"/>, value and expiry, and the time it was set (Unix ms).</summary>
    private readonly record struct Row(string Key, long Hash, byte[] Value, long? Expires, long? Sliding, long? Absolute, long Now);

    /// <summary>The prepared command of <paramref name="sql"/> (owned by <see cref="_statements"/>: never disposed here).</summary>
    private SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) => _statements.Get(sql, parameters);
}
