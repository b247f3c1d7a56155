using Microsoft.Data.Sqlite;
using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary>Natively bound statements store what a command would (values, NULLs, storage classes), read rows back, and
/// report SQLite's errors as <see cref="SqliteException"/>s, leaving the statement usable.</summary>
public sealed class NativeStatementTests
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER, r REAL, b BLOB, u TEXT UNIQUE);";

    [Fact]
    public void BoundValues_AreStoredAsACommandStoresThem()
    {
        using var dir = new TempDir();
        using var connection = SqliteDatabase.Open(dir.Combine("t.db"), Schema);
        var longText = string.Concat(Enumerable.Repeat("é€😀 long text ", 100)); // > 512 UTF-8 bytes: the pooled buffer
        using (var insert = new NativeStatement(connection, "INSERT INTO t (s, n, r, b, u) VALUES (?1, ?2, ?3, ?4, ?5)"))
        {
            insert.Bind(1, "naïve ✓");
            insert.Bind(2, long.MinValue);
            insert.Bind(3, 0.1 + 0.2);
            insert.BindBlob(4, [0, 1, 2, 255]);
            insert.Bind(5, (string?)null);
            insert.Execute();
            insert.Bind(1, longText);
            insert.Bind(2, (long?)null);
            insert.Bind(3, (double?)null);
            insert.BindBlob(4, []);
            insert.Bind(5, "x"u8);
            insert.Execute();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT s, n, r, b, u, typeof(s), typeof(n), typeof(r), typeof(b), typeof(u) FROM t ORDER BY id";
        using var rows = read.ExecuteReader();
        Assert.True(rows.Read());
        Assert.Equal("naïve ✓", rows.GetString(0));
        Assert.Equal(long.MinValue, rows.GetInt64(1));
        Assert.Equal(0.1 + 0.2, rows.GetDouble(2));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, (byte[])rows.GetValue(3));
        Assert.True(rows.IsDBNull(4));
        Assert.Equal(["text", "integer", "real", "blob", "null"], Enumerable.Range(5, 5).Select(rows.GetString));
        Assert.True(rows.Read());
        Assert.Equal(longText, rows.GetString(0));
        Assert.Equal(["text", "null", "null", "blob", "text"], Enumerable.Range(5, 5).Select(rows.GetString));
        Assert.Equal("x", rows.GetString(4));
        Assert.False(rows.Read());
    }

    [Fact]
    public void Step_ReadsRows_AndAResetStatementRunsAgainWithNewBindings()
    {
        using var dir = new TempDir();
        using var connection = SqliteDatabase.Open(dir.Combine("t.db"), Schema);
        SqliteDatabase.Execute(connection, "INSERT INTO t (n, b) VALUES (1, x'0a0b'), (2, NULL), (3, x'')");
        using var select = new NativeStatement(connection, "SELECT b, n FROM t WHERE n >= ?1 ORDER BY n");

        select.Bind(1, 2L);
        Assert.True(select.Step());
        Assert.Null(select.Int64(0));
        Assert.Equal(2, select.Int64(1));
        Assert.True(select.Step());
        Assert.Empty(select.Blob(0));
        Assert.False(select.Step());
        select.Reset();

        select.Bind(1, 1L);
        Assert.True(select.Step());
        Assert.Equal(new byte[] { 10, 11 }, select.Blob(0));
        select.Reset();
    }

    [Fact]
    public void AFailedStep_ThrowsSqliteException_AndTheStatementRunsAgain()
    {
        using var dir = new TempDir();
        using var connection = SqliteDatabase.Open(dir.Combine("t.db"), Schema);
        using var insert = new NativeStatement(connection, "INSERT INTO t (u) VALUES (?1)");
        insert.Bind(1, "same");
        insert.Execute();

        var ex = Assert.Throws<SqliteException>(insert.Execute);
        Assert.Equal(19, ex.SqliteErrorCode); // SQLITE_CONSTRAINT

        insert.Bind(1, "other");
        insert.Execute();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(2L, count.ExecuteScalar());
    }

    [Fact]
    public void ValuesBoundAgain_AreKeptByTheStatement_AcrossRunsAndARePrepare_AndEveryChangeIsBound()
    {
        using var dir = new TempDir();
        using var connection = SqliteDatabase.Open(dir.Combine("t.db"), Schema);
        using var insert = new NativeStatement(connection, "INSERT INTO t (s, n, r, u) VALUES (?1, ?2, ?3, ?4)");
        var run = "run-" + 7; // not interned: an equal string of another instance below
        void Row(string? s, long? n, double? r, string? u)
        {
            insert.Bind(1, s);
            insert.Bind(2, n);
            insert.Bind(3, r);
            insert.Bind(4, u);
            insert.Execute();
        }

        Row(run, 1, 0.5, "a");
        Row(run, 1, 0.5, "b"); // all but one held
        Row(string.Concat("run-", "7"), 1, 0.5, "c");
        SqliteDatabase.Execute(connection, "CREATE TABLE other (x); DROP TABLE other;"); // the schema changes: re-prepared
        Row(run, 1, 0.5, "d");
        Row(null, null, null, "e"); // to NULL
        Row(null, null, null, "f");
        Row("run-8", 2, 2.5, "g"); // from NULL
        Row("run-8", 2, 2.25, "h");
        Assert.Throws<SqliteException>(() => Row("run-9", 3, 1.5, "h")); // fails on the unique u
        Row("run-9", 3, 1.5, "i"); // what was bound before the failure stays bound

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT coalesce(s, '-') || ' ' || coalesce(n, '-') || ' ' || coalesce(r, '-') || ' ' || u FROM t ORDER BY id";
        using var rows = read.ExecuteReader();
        var all = new List<string>();
        while (rows.Read())
        {
            all.Add(rows.GetString(0));
        }
        Assert.Equal(["run-7 1 0.5 a", "run-7 1 0.5 b", "run-7 1 0.5 c", "run-7 1 0.5 d", "- - - e", "- - - f",
            "run-8 2 2.5 g", "run-8 2 2.25 h", "run-9 3 1.5 i"], all);
    }

    [Fact]
    public void ABadStatement_ThrowsSqliteException()
    {
        using var dir = new TempDir();
        using var connection = SqliteDatabase.Open(dir.Combine("t.db"), Schema);
        Assert.Throws<SqliteException>(() => new NativeStatement(connection, "INSERT INTO missing VALUES (?1)"));
    }
}
