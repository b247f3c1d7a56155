using System.Globalization;
using Microsoft.Data.Sqlite;
using SpecSynth.Config;
using SpecSynth.State;

namespace SpecSynth.Usage;

/// <summary>
/// The usage ledger: <c>usage.db</c> in the state folder, one row per logical model call (<see cref="UsageRecord"/>).
/// Each row is one <c>INSERT</c> (its own short transaction, or one shared with the rows of requests that finished
/// together: <see cref="GroupCommit{T}"/>) on a connection kept open for the run; WAL, the busy
/// timeout and a retry on <c>SQLITE_BUSY</c>/<c>SQLITE_LOCKED</c> let many processes append at once without losing a
/// row. Thread-safe; dispose to close the connection.
/// </summary>
/// <remarks>
/// The row id is a plain <c>INTEGER PRIMARY KEY</c> and the table has no index, so a row costs one page in the
/// write-ahead log instead of three (issue 19: the earlier schema's <c>AUTOINCREMENT</c> rewrote the <c>sqlite_sequence</c>
/// page, and its <c>requests_time</c> index a leaf page, on every row). Rows are never deleted, so ids still grow in
/// insertion order; a report with a start time scans the table instead of the index. A file of the earlier schema is
/// rebuilt when a row is first appended, keeping every row and its id (<see cref="Migrate"/>; reports and reads work on
/// either schema and never write); an older specsynth sharing the folder recreates the index, which the next append's
/// open drops again.
/// </remarks>
internal sealed class UsageLedger : IDisposable
{
    /// <summary>The file name under the state folder.</summary>
    public const string FileName = "usage.db";

    private const int MaxAttempts = 8;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS requests (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            run_id TEXT NOT NULL,
            operation TEXT NOT NULL,
            spec TEXT,
            project TEXT,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            key_alias TEXT,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            latency_ms REAL NOT NULL,
            ttft_ms REAL,
            retries INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            cache_hit INTEGER NOT NULL,
            streamed INTEGER NOT NULL
        );
        """;

    private readonly Lock _gate = new();
    private readonly GroupCommit<UsageRecord> _commits;
    private SqliteConnection? _connection;
    private PreparedStatements? _statements;
    private NativeStatement? _insert;

    /// <summary>Checkpoints the log off the request path (the connection's own automatic checkpoint is a backstop).</summary>
    private readonly WalCheckpointer _checkpointer;
    private bool _disposed;

    /// <summary>A ledger at <paramref name="path"/>; nothing is opened until the first row.</summary>
    public UsageLedger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _commits = new(Insert, retryAlone: true);
        _checkpointer = new WalCheckpointer(path, _gate, CheckpointPages);
    }

    /// <summary>The log frames after which the ledger is checkpointed (<see cref="WalCheckpointer"/>): four times SQLite's
    /// default, as the response cache (issue 19). Every commit rewrites the table's last leaf, so a checkpoint copies each
    /// leaf once however many commits rewrote it, and its two or three <c>fsync</c>s are shared by four times the rows. The
    /// log reaches about 16 MB (4 KB pages) before it restarts and is removed when the last connection closes.</summary>
    internal const int CheckpointPages = 4 * WalCheckpointer.Pages;

    /// <summary>About how many frames a commit of <paramref name="rows"/> rows adds to the log: the table's last leaf, and,
    /// each time a leaf fills (about 30 rows of some 130 bytes), the new leaf, its parent and the file's header page. (Issue
    /// 19: the former estimate, a frame per row, was four times the 1.5 frames measured per commit of 5.5 rows at 16
    /// requests in flight, so the ledger was checkpointed, with its <c>fsync</c>s, four times as often as intended.)</summary>
    internal static int LogFrames(int rows) => 1 + ((rows + 5) / 10);

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The ledger of the state folder <paramref name="getEnv"/> names.</summary>
    public static string DefaultPath(Func<string, string?> getEnv) => System.IO.Path.Combine(StatePaths.StateDir(getEnv), FileName);

    /// <summary>Appends one row, waiting out other writers; the task completes once the row is committed. Rows appended
    /// while the pool is busy share one transaction (<see cref="GroupCommit{T}"/>); a row whose group failed is written
    /// again alone, so the task fails only when the row itself could not be committed.</summary>
    /// <exception cref="SpecSynthException">(In the task) the file cannot be opened (<see cref="ErrorKind.InvalidInput"/>).</exception>
    /// <exception cref="SqliteException">(In the task) the row could not be written even after the retries.</exception>
    public Task AppendAsync(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _commits.WriteAsync(record);
    }

    /// <summary>Inserts <paramref name="records"/> (one: its own statement; more: one <c>BEGIN IMMEDIATE</c> transaction,
    /// all or none), retrying the whole on <c>SQLITE_BUSY</c>/<c>SQLITE_LOCKED</c>.</summary>
    private void Insert(IReadOnlyList<UsageRecord> records)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (_connection is null)
                    {
                        var connection = Open(Path);
                        try
                        {
                            WalCheckpointer.Backstop(connection, CheckpointPages);
                            _insert = new NativeStatement(connection, InsertSql);
                        }
                        catch
                        {
                            connection.Dispose();
                            throw;
                        }
                        (_connection, _statements) = (connection, new PreparedStatements(connection));
                    }
                    var insert = _insert!;
                    if (records.Count == 1)
                    {
                        Insert(insert, records[0]);
                    }
                    else
                    {
                        _statements!.InTransaction((insert, records), static group =>
                        {
                            for (var i = 0; i < group.records.Count; i++)
                            {
                                Insert(group.insert, group.records[i]);
                            }
                        });
                    }
                    _checkpointer.Committed(LogFrames(records.Count));
                    return;
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 && attempt < MaxAttempts)
                {
                    // SQLITE_BUSY / SQLITE_LOCKED despite the busy timeout (e.g. a WAL snapshot conflict): back off and retry.
                    Thread.Sleep(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt));
                }
            }
        }
    }

    /// <summary>Totals of the rows since <paramref name="since"/> (all when <c>null</c>) of <paramref name="project"/>
    /// (all when <c>null</c>), per group of <paramref name="by"/> (ordered by key), and overall.</summary>
    public UsageReport Report(DateTimeOffset? since, UsageGrouping? by, string? project)
    {
        if (!File.Exists(Path))
        {
            return new UsageReport([], UsageTotals.Empty(null));
        }
        using var connection = SqliteDatabase.Open(Path, Schema);
        var groups = by is { } grouping ? Query(connection, Key(grouping), since, project) : [];
        var total = Query(connection, null, since, project).SingleOrDefault() ?? UsageTotals.Empty(null);
        return new UsageReport(groups, total);
    }

    /// <summary>Every row in insertion order (tests and diagnostics).</summary>
    public IReadOnlyList<UsageRecord> ReadAll()
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        using var connection = SqliteDatabase.Open(Path, Schema);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT time, run_id, operation, spec, project, provider, model, key_alias, input_tokens, output_tokens,
                   cache_write_tokens, cache_read_tokens, cost_usd, latency_ms, ttft_ms, retries, outcome, cache_hit, streamed
            FROM requests ORDER BY id
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<UsageRecord>();
        while (reader.Read())
        {
            rows.Add(new UsageRecord
            {
                Time = DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                RunId = reader.GetString(1),
                Operation = reader.GetString(2),
                Spec = reader.IsDBNull(3) ? null : reader.GetString(3),
                Project = reader.IsDBNull(4) ? null : reader.GetString(4),
                Provider = reader.GetString(5),
                Model = reader.GetString(6),
                KeyAlias = reader.IsDBNull(7) ? null : reader.GetString(7),
                Tokens = new(reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11)),
                CostUsd = (decimal)reader.GetDouble(12),
                Latency = TimeSpan.FromMilliseconds(reader.GetDouble(13)),
                TimeToFirstToken = reader.IsDBNull(14) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(14)),
                Retries = reader.GetInt32(15),
                Outcome = reader.GetString(16),
                CacheHit = reader.GetInt64(17) != 0,
                Streamed = reader.GetInt64(18) != 0,
            });
        }
        return rows;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // First, outside the lock: its checkpoint takes the lock for its second pass.
        _checkpointer.Dispose();
        lock (_gate)
        {
            _disposed = true;
            _insert?.Dispose();
            _insert = null;
            _statements?.Dispose();
            _statements = null;
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>Opens the ledger at <paramref name="path"/> for appending, migrated to the current schema.</summary>
    private static SqliteConnection Open(string path)
    {
        var connection = SqliteDatabase.Open(path, Schema);
        try
        {
            Migrate(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Brings a ledger of the earlier schema (or one whose time index an older specsynth recreated) to the current one in one write
    /// transaction: the table is copied, ids included, into one without <c>AUTOINCREMENT</c>, and the time index is dropped.
    /// The check is a read of the schema; the write lock is taken only when there is something to change, and the check
    /// is repeated under it, so processes opening the file together migrate it once.
    /// </summary>
    private static void Migrate(SqliteConnection connection)
    {
        if (!NeedsMigration(connection))
        {
            return;
        }
        using var transaction = connection.BeginTransaction(deferred: false);
        if (NeedsMigration(connection))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                DROP INDEX IF EXISTS requests_time;
                SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'requests' AND sql LIKE '%AUTOINCREMENT%';
                """;
            if (command.ExecuteScalar() is not null)
            {
                command.CommandText = Schema.Replace("EXISTS requests (", "EXISTS requests_v2 (", StringComparison.Ordinal) + """
                    INSERT INTO requests_v2 SELECT * FROM requests ORDER BY id;
                    DROP TABLE requests;
                    ALTER TABLE requests_v2 RENAME TO requests;
                    """;
                command.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    /// <summary>Whether the table still has <c>AUTOINCREMENT</c> or the time index exists.</summary>
    private static bool NeedsMigration(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 1 FROM sqlite_master
            WHERE (type = 'index' AND name = 'requests_time') OR (type = 'table' AND name = 'requests' AND sql LIKE '%AUTOINCREMENT%')
            """;
        return command.ExecuteScalar() is not null;
    }

    /// <summary>The stored form of a time: UTC, fixed width, so text order is time order and the first 10 characters are the day
    /// (the round-trip format of a UTC time: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>).</summary>
    internal static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Room for a <see cref="Stamp(DateTimeOffset)"/> in UTF-8 (it is 28 ASCII characters).</summary>
    internal const int StampBytes = 40;

    /// <summary>Writes <see cref="Stamp(DateTimeOffset)"/> in UTF-8 to <paramref name="destination"/> (at least
    /// <see cref="StampBytes"/> long) and returns its length: the same text without a string.</summary>
    /// <remarks>The round-trip format ("O") is written by the runtime's own fast path, with no format string to parse (issue
    /// 19: the custom format's parsing was most of a stamp's cost, and every request writes two).</remarks>
    internal static int Stamp(DateTimeOffset time, Span<byte> destination)
    {
        if (!time.UtcDateTime.TryFormat(destination, out var written, "O", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The time stamp does not fit its buffer.");
        }
        return written;
    }

    /// <summary>The row's insert; its parameters are numbered in the order <see cref="Insert(NativeStatement, UsageRecord)"/> binds them.</summary>
    private const string InsertSql = """
        INSERT INTO requests (time, run_id, operation, spec, project, provider, model, key_alias, input_tokens, output_tokens,
            cache_write_tokens, cache_read_tokens, cost_usd, latency_ms, ttft_ms, retries, outcome, cache_hit, streamed)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
        """;

    /// <summary>Inserts <paramref name="r"/> with <paramref name="insert"/>: the same values and storage classes as bound
    /// through a command (text, integers, reals, NULL), without a binder object, a box or a UTF-8 copy per value.</summary>
    private static void Insert(NativeStatement insert, UsageRecord r)
    {
        // The time as Stamp writes it, straight to UTF-8.
        Span<byte> time = stackalloc byte[StampBytes];
        insert.Bind(1, time[..Stamp(r.Time, time)]);
        insert.Bind(2, r.RunId);
        insert.Bind(3, r.Operation);
        insert.Bind(4, r.Spec);
        insert.Bind(5, r.Project);
        insert.Bind(6, r.Provider);
        insert.Bind(7, r.Model);
        insert.Bind(8, r.KeyAlias);
        insert.Bind(9, r.Tokens.InputTokens);
        insert.Bind(10, r.Tokens.OutputTokens);
        insert.Bind(11, r.Tokens.CacheWriteTokens);
        insert.Bind(12, r.Tokens.CacheReadTokens);
        insert.Bind(13, (double)r.CostUsd);
        insert.Bind(14, r.Latency.TotalMilliseconds);
        insert.Bind(15, r.TimeToFirstToken?.TotalMilliseconds);
        insert.Bind(16, (long)r.Retries);
        insert.Bind(17, r.Outcome);
        insert.Bind(18, r.CacheHit ? 1L : 0L);
        insert.Bind(19, r.Streamed ? 1L : 0L);
        insert.Execute();
    }

    private static string Key(UsageGrouping by) => by switch
    {
        UsageGrouping.Provider => "provider",
        UsageGrouping.Model => "model",
        UsageGrouping.Day => "substr(time, 1, 10)",
        UsageGrouping.Spec => "COALESCE(spec, '(none)')",
        UsageGrouping.Operation => "operation",
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };

    private static List<UsageTotals> Query(SqliteConnection connection, string? key, DateTimeOffset? since, string? project)
    {
        using var command = connection.CreateCommand();
        var select = key is null ? "NULL" : key;
        command.CommandText = $"""
            SELECT {select} AS k, COUNT(*), TOTAL(input_tokens), TOTAL(output_tokens), TOTAL(cache_write_tokens), TOTAL(cache_read_tokens),
                   TOTAL(cost_usd), TOTAL(cache_hit), TOTAL(outcome NOT IN ('ok', 'cancelled')), TOTAL(outcome = 'cancelled'), TOTAL(retries)
            FROM requests
            WHERE ($since IS NULL OR time >= $since) AND ($project IS NULL OR project = $project)
            {(key is null ? "" : "GROUP BY k ORDER BY k")}
            """;
        command.Parameters.AddWithValue("$since", since is { } s ? Stamp(s) : DBNull.Value);
        command.Parameters.AddWithValue("$project", (object?)project ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<UsageTotals>();
        while (reader.Read())
        {
            var requests = reader.GetInt64(1);
            if (requests == 0)
            {
                continue;
            }
            rows.Add(new UsageTotals(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                requests,
                (long)reader.GetDouble(2),
                (long)reader.GetDouble(3),
                (long)reader.GetDouble(4),
                (long)reader.GetDouble(5),
                Math.Round((decimal)reader.GetDouble(6), 6),
                (long)reader.GetDouble(7),
                (long)reader.GetDouble(8),
                (long)reader.GetDouble(9),
                (long)reader.GetDouble(10)));
        }
        return rows;
    }
}
