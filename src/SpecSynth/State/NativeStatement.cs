using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SpecSynth.State;

/// <summary>
/// One statement prepared on a connection's native handle and bound and stepped through SQLite directly (issue 19):
/// <see cref="SqliteCommand"/> allocates a binder object per parameter and execution, boxes every number and copies every
/// string into a new UTF-8 array, about 2 KB for a usage-ledger row of 19 values; here numbers are bound as they are and
/// strings are encoded into a pooled buffer that SQLite copies. Use it under the lock that guards its connection; errors
/// are <see cref="SqliteException"/>s, as from the command
/// (a busy database waits out the connection's <c>busy_timeout</c> inside the step). Dispose before the connection.
/// SQLite keeps a statement's bindings from one run to the next (a reset does not clear them, a re-prepare carries them
/// over), so a parameter bound again to the value it holds (the same integer, real, NULL or text) is left as it is (issue
/// 19: a usage-ledger row rebound its run, operation, project, provider, model, key alias and outcome, the same for every row
/// of a run, each a UTF-8 encoding, a call into SQLite and a copy there).
/// </summary>
internal sealed class NativeStatement : IDisposable
{
    /// <summary>Strings up to this many UTF-8 bytes are encoded on the stack.</summary>
    private const int StackBytes = 512;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>What each parameter (by index, from 1) holds now, as far as this object knows.</summary>
    private readonly Binding[] _bound;

    /// <summary>Prepares <paramref name="sql"/> (one statement, parameters numbered from 1 in order of appearance) on
    /// the open <paramref name="connection"/>.</summary>
    /// <exception cref="SqliteException">SQLite refused the statement.</exception>
    public NativeStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        _statement = statement!;
        _bound = new Binding[raw.sqlite3_bind_parameter_count(_statement) + 1];
    }

    /// <summary>Binds parameter <paramref name="index"/> (from 1) to an integer.</summary>
    public void Bind(int index, long value)
    {
        var binding = new Binding(Kind.Integer, value, null);
        if (!Holds(index, binding))
        {
            Forget(index);
            Check(raw.sqlite3_bind_int64(_statement, index, value));
            Remember(index, binding);
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> to a real.</summary>
    public void Bind(int index, double value)
    {
        var binding = new Binding(Kind.Real, BitConverter.DoubleToInt64Bits(value), null);
        if (!Holds(index, binding))
        {
            Forget(index);
            Check(raw.sqlite3_bind_double(_statement, index, value));
            Remember(index, binding);
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> to a real, or NULL.</summary>
    public void Bind(int index, double? value)
    {
        if (value is { } v)
        {
            Bind(index, v);
        }
        else
        {
            BindNull(index);
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> to text (its UTF-8 bytes, copied by SQLite), or NULL.</summary>
    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
            return;
        }
        if ((uint)index < (uint)_bound.Length && _bound[index] is { Kind: Kind.Text, Text: { } held } && string.Equals(held, value, StringComparison.Ordinal))
        {
            return;
        }
        Forget(index);
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Check(raw.sqlite3_bind_text(_statement, index, buffer[..Encoding.UTF8.GetBytes(value, buffer)]));
            Remember(index, new Binding(Kind.Text, 0, value));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> to the UTF-8 text <paramref name="utf8"/> (copied by SQLite).</summary>
    public void Bind(int index, ReadOnlySpan<byte> utf8)
    {
        Forget(index);
        Check(raw.sqlite3_bind_text(_statement, index, utf8));
    }

    /// <summary>Binds parameter <paramref name="index"/> to the blob <paramref name="value"/> (copied by SQLite).</summary>
    public void BindBlob(int index, ReadOnlySpan<byte> value)
    {
        Forget(index);
        Check(raw.sqlite3_bind_blob(_statement, index, value));
    }

    /// <summary>Binds parameter <paramref name="index"/> to NULL.</summary>
    private void BindNull(int index)
    {
        var binding = new Binding(Kind.Null, 0, null);
        if (!Holds(index, binding))
        {
            Forget(index);
            Check(raw.sqlite3_bind_null(_statement, index));
            Remember(index, binding);
        }
    }

    /// <summary>Whether parameter <paramref name="index"/> is known to hold <paramref name="binding"/> (a number or NULL).</summary>
    private bool Holds(int index, Binding binding) => (uint)index < (uint)_bound.Length && _bound[index] == binding;

    /// <summary>Marks parameter <paramref name="index"/> as unknown (before a bind that may fail, or a value not remembered).</summary>
    private void Forget(int index)
    {
        if ((uint)index < (uint)_bound.Length)
        {
            _bound[index] = default;
        }
    }

    /// <summary>Records what parameter <paramref name="index"/> holds after a successful bind.</summary>
    private void Remember(int index, Binding binding)
    {
        if ((uint)index < (uint)_bound.Length)
        {
            _bound[index] = binding;
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> to an integer, or NULL.</summary>
    public void Bind(int index, long? value)
    {
        if (value is { } v)
        {
            Bind(index, v);
        }
        else
        {
            BindNull(index);
        }
    }

    /// <summary>Runs the statement to its end and resets it for the next binding (the bindings stay until rebound).</summary>
    /// <exception cref="SqliteException">The step failed (e.g. <c>SQLITE_BUSY</c> after the busy timeout, a constraint).</exception>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Steps to the next row: <c>true</c> when there is one (read it with <see cref="Blob"/> and
    /// <see cref="Int64"/>), <c>false</c> at the end. Call <see cref="Reset"/> when done, also after an exception.</summary>
    /// <exception cref="SqliteException">The step failed.</exception>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return false;
    }

    /// <summary>Ends the current run (a read's snapshot is let go) and makes the statement ready for new bindings.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>Column <paramref name="column"/> (from 0) of the current row as a new array (empty for an empty blob).</summary>
    public byte[] Blob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    /// <summary>Column <paramref name="column"/> (from 0) of the current row as an integer, or <c>null</c> when NULL.</summary>
    public long? Int64(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(_statement, column);

    /// <summary>Finalizes the statement.</summary>
    public void Dispose() => _statement.Dispose();

    /// <summary>What a parameter holds: nothing known, NULL, an integer or a real (its bits), or text (the string bound).</summary>
    private enum Kind : byte
    {
        Unknown,
        Null,
        Integer,
        Real,
        Text,
    }

    /// <summary>A parameter's value as bound (<see cref="Kind.Text"/>: the string itself, compared by value).</summary>
    private readonly record struct Binding(Kind Kind, long Bits, string? Text);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
