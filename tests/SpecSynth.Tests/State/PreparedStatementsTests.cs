using Microsoft.Data.Sqlite;
using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary><see cref="PreparedStatements.InTransaction(Action)"/> (its BEGIN, COMMIT and ROLLBACK stepped natively): all or
/// none, the first error reported, the write lock taken at BEGIN, and usable again after a failure.</summary>
public sealed class PreparedStatementsTests
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, u TEXT UNIQUE NOT NULL);";

    [Fact]
    public void ATransaction_CommitsAllOrNone_AndStaysUsableAfterAFailure()
    {
        using var dir = new TempDir();
        var path = dir.Combine("t.db");
        using var connection = SqliteDatabase.Open(path, Schema);
        using var statements = new PreparedStatements(connection);
        void Insert(string u) => statements.Get("INSERT INTO t (u) VALUES ($u)", ("$u", u)).ExecuteNonQuery();

        statements.InTransaction<string[]>(["a", "b"], rows =>
        {
            foreach (var row in rows)
            {
                Insert(row);
            }
        });
        // The second row breaks the UNIQUE constraint: the first is rolled back with it, and the constraint is what is thrown.
        var failure = Assert.Throws<SqliteException>(() => statements.InTransaction(() =>
        {
            Insert("c");
            Insert("a");
        }));
        Assert.Equal(19, failure.SqliteErrorCode);
        Assert.False(connection.Handle is { } db && SQLitePCL.raw.sqlite3_get_autocommit(db) == 0, "a transaction was left open");
        var thrown = new InvalidOperationException("body failed");
        Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => statements.InTransaction(() =>
        {
            Insert("d");
            throw thrown;
        })));
        statements.InTransaction(() => Insert("e"));

        using var other = SqliteDatabase.Open(path, Schema);
        using var read = other.CreateCommand();
        read.CommandText = "SELECT group_concat(u, ',') FROM (SELECT u FROM t ORDER BY id)";
        Assert.Equal("a,b,e", read.ExecuteScalar());
    }

    [Fact]
    public void BEGIN_TakesTheWriteLock_SoAnotherWriterWaitsForTheCommit()
    {
        using var dir = new TempDir();
        var path = dir.Combine("t.db");
        using var connection = SqliteDatabase.Open(path, Schema);
        using var statements = new PreparedStatements(connection);
        using var other = SqliteDatabase.Open(path, Schema);
        SqliteDatabase.Execute(other, "PRAGMA busy_timeout = 0;");

        statements.InTransaction(() =>
        {
            var busy = Assert.Throws<SqliteException>(() => SqliteDatabase.Execute(other, "INSERT INTO t (u) VALUES ('other')"));
            Assert.Equal(5, busy.SqliteErrorCode);
            statements.Get("INSERT INTO t (u) VALUES ('mine')").ExecuteNonQuery();
        });
        SqliteDatabase.Execute(other, "INSERT INTO t (u) VALUES ('other')");
        using var read = other.CreateCommand();
        read.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(2L, read.ExecuteScalar());
    }
}
