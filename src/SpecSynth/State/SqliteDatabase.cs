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
            Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            if (schema.Length > 0)
            {
                Execute(connection, schema);
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

    /// <summary>Runs a statement without results.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
