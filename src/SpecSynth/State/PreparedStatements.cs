using Microsoft.Data.Sqlite;

namespace SpecSynth.State;

/// <summary>
/// The commands of one connection, each prepared once and reused with new parameter values (issue 19: parsing and
/// preparing the same SQL on every call was a visible share of a request's overhead). Not thread-safe: use it under the
/// lock that guards its connection; dispose it before the connection.
/// </summary>
/// <param name="connection">The open connection the commands run on.</param>
internal sealed class PreparedStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    // The transaction's own statements, stepped natively (issue 19: through a command each execution allocated a reader and
    // its state, twice per grouped commit of the ledger and the cache); prepared on first use.
    private NativeStatement? _begin;
    private NativeStatement? _commit;
    private NativeStatement? _rollback;

    /// <summary>The command of <paramref name="sql"/> with <paramref name="parameters"/> bound (<c>null</c> binds SQL
    /// <c>NULL</c>). A call site always passes the same names in the same order; the command stays owned by this object
    /// (do not dispose it; dispose its reader before the next use).</summary>
    public SqliteCommand Get(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _commands[sql] = command;
        }
        var bound = command.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            bound[i].Value = parameters[i].Value ?? DBNull.Value;
        }
        return command;
    }

    /// <summary>Runs <paramref name="body"/> in one <c>BEGIN IMMEDIATE</c> transaction on this connection: all or none. It is
    /// committed when <paramref name="body"/> returns and rolled back when it (or the commit) throws; the first error is the
    /// one thrown, also when SQLite has already rolled back itself (e.g. on <c>SQLITE_FULL</c>) and the rollback fails.</summary>
    public void InTransaction(Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        InTransaction(body, static body => body());
    }

    /// <summary>Runs <paramref name="body"/> with <paramref name="state"/> in one <c>BEGIN IMMEDIATE</c> transaction, as
    /// <see cref="InTransaction(Action)"/> (a static body allocates no closure).</summary>
    public void InTransaction<TState>(TState state, Action<TState> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        (_begin ??= new NativeStatement(connection, "BEGIN IMMEDIATE")).Execute();
        try
        {
            body(state);
            (_commit ??= new NativeStatement(connection, "COMMIT")).Execute();
        }
        catch
        {
            try
            {
                (_rollback ??= new NativeStatement(connection, "ROLLBACK")).Execute();
            }
            catch (SqliteException)
            {
                // Already rolled back: the first error is the one to report.
            }
            throw;
        }
    }

    /// <summary>Disposes every command (their prepared statements).</summary>
    public void Dispose()
    {
        _begin?.Dispose();
        _commit?.Dispose();
        _rollback?.Dispose();
        (_begin, _commit, _rollback) = (null, null, null);
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
