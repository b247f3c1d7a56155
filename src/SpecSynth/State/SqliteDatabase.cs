using Microsoft.Data.Sqlite;

namespace SpecSynth.State;

/// <summary>
/// Opens specsynth's SQLite files (cache, usage ledger, history, calibration) the one safe way: the folder is created,
/// the journal is WAL (readers never block the writer; a crash mid-write loses nothing committed), and a writer waits
/// up to <see cref="BusyTimeout"/> for another process instead of failing. Each caller owns its own tables.
/// </summary>
internal static class SqliteDatabase
{
    /// <summary>How long a statement waits for another process's write lock.</summary>
    public static TimeSpan BusyTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/> and runs <paramref name="schema"/>
    /// (idempotent DDL such as <c>CREATE TABLE IF NOT EXISTS</c>).</summary>
    /// <exception cref="SpecSynthException">The folder cannot be created, or the file cannot be opened or is not a database
    /// (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static SqliteConnection Open(string path, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"Cannot create the state folder {folder}: " +
                $"{(ex is UnauthorizedAccessException ? "permission denied" : ex.Message)}. Fix its permissions or set SPECSYNTH_HOME to a writable folder.", ex);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};");
            if (IsEmpty(connection))
            {
                Create(connection, schema);
            }
            else
            {
                Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
                if (schema.Length > 0)
                {
                    Execute(connection, schema);
                }
            }
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Cannot use the state database {path}: {ex.Message.TrimEnd('.')}. Move it aside (it will be recreated) or fix its permissions.", ex);
        }
    }

    /// <summary>How much page cache a connection that mostly appends keeps, in KiB (SQLite's default is 2,000 KiB a
    /// connection, which a long run fills with pages it wrote and never reads again).</summary>
    public const int AppendCacheKiB = 256;

    /// <summary><see cref="Open"/> for a connection kept for a whole run that mostly appends (history, usage ledger): its
    /// page cache bounded to <see cref="AppendCacheKiB"/>, so that it does not grow with the rows a long run adds.</summary>
    /// <exception cref="SpecSynthException">As <see cref="Open"/>.</exception>
    public static SqliteConnection OpenAppending(string path, string schema)
    {
        var connection = Open(path, schema);
        try
        {
            Execute(connection, $"PRAGMA cache_size = -{AppendCacheKiB};");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Cannot use the state database {path}: {ex.Message.TrimEnd('.')}. Move it aside (it will be recreated) or fix its permissions.", ex);
        }
    }

    /// <summary>
    /// Makes a new (empty) file a WAL database with <paramref name="schema"/>, without syncing: switching the journal mode
    /// of a new file goes through a rollback journal, and the first write starts the WAL, which costs six <c>fsync</c>s
    /// per database at <c>synchronous = NORMAL</c> (18 of a fresh state folder's 30, about 0.1 s of a mock quick start's
    /// wall time; issue 19). The file holds nothing yet, so a crash cannot lose data: a killed process leaves what it
    /// wrote to the OS, and the first checkpoint (at the latest when the last connection closes) syncs the log and the
    /// file at <c>NORMAL</c>, the level every later statement runs at. The schema is one transaction, taken with
    /// <c>BEGIN IMMEDIATE</c> (not deferred) so that two processes creating the same file wait for each other instead of failing.
    /// </summary>
    private static void Create(SqliteConnection connection, string schema)
    {
        Execute(connection, "PRAGMA synchronous = OFF; PRAGMA journal_mode = WAL;");
        if (schema.Length > 0)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = schema;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        Execute(connection, "PRAGMA synchronous = NORMAL;");
    }

    /// <summary>True when the file has no page yet (just created, or created empty by another process that has not
    /// written it yet).</summary>
    private static bool IsEmpty(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        return command.ExecuteScalar() is long pages && pages == 0;
    }

    /// <summary>Runs a statement without results.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
