using System.Globalization;
using Microsoft.Data.Sqlite;
using SpecSynth.State;

namespace SpecSynth.Tests.State;

public sealed class SqliteDatabaseTests : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY AUTOINCREMENT, who TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS rows_by_who ON rows (who);
        """;

    private readonly TempDir _dir = new();

    private string DbPath => _dir.Combine("state", "test.db");

    [Fact]
    public void A_new_file_is_a_WAL_database_with_the_schema_at_synchronous_NORMAL()
    {
        using (var connection = SqliteDatabase.Open(DbPath, Schema))
        {
            AssertSettled(connection);
            Assert.Equal(2L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('rows', 'rows_by_who')"));
            SqliteDatabase.Execute(connection, "INSERT INTO rows (who) VALUES ('first')");
        }
        using var again = SqliteDatabase.Open(DbPath, Schema);
        AssertSettled(again);
        Assert.Equal(1L, Scalar(again, "SELECT COUNT(*) FROM rows"));
    }

    [Fact]
    public void An_appending_connection_keeps_a_bounded_page_cache_and_the_default_one_does_not()
    {
        using var appending = SqliteDatabase.OpenAppending(DbPath, Schema);
        using var plain = SqliteDatabase.Open(DbPath, Schema);

        AssertSettled(appending);
        Assert.Equal((long)-SqliteDatabase.AppendCacheKiB, Scalar(appending, "PRAGMA cache_size"));
        Assert.NotEqual((long)-SqliteDatabase.AppendCacheKiB, Scalar(plain, "PRAGMA cache_size"));
        for (var i = 0; i < 2_000; i++)
        {
            SqliteDatabase.Execute(appending, $"INSERT INTO rows (who) VALUES ('{new string('w', 400)}{i}')");
        }
        Assert.Equal(2_000L, Scalar(plain, "SELECT COUNT(*) FROM rows"));
    }

    [Fact]
    public void An_empty_file_left_by_another_process_is_created_like_a_missing_one()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        File.WriteAllBytes(DbPath, []);
        using var connection = SqliteDatabase.Open(DbPath, Schema);
        AssertSettled(connection);
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM rows"));
    }

    [Fact]
    public async Task Connections_creating_one_file_at_once_all_get_the_schema_and_keep_every_row()
    {
        const int Writers = 8;
        using var start = new Barrier(Writers);
        var writers = Enumerable.Range(0, Writers).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            using var connection = SqliteDatabase.Open(DbPath, Schema);
            AssertSettled(connection);
            SqliteDatabase.Execute(connection, $"INSERT INTO rows (who) VALUES ('w{i}')");
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(writers);
        using var reader = SqliteDatabase.Open(DbPath, Schema);
        Assert.Equal((long)Writers, Scalar(reader, "SELECT COUNT(DISTINCT who) FROM rows"));
    }

    [Fact]
    public void A_schema_that_fails_on_a_new_file_leaves_no_table_behind()
    {
        var error = Assert.Throws<SpecSynthException>(() => SqliteDatabase.Open(DbPath,
            "CREATE TABLE IF NOT EXISTS kept (x INTEGER); CREATE TABLE broken (;"));
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        using var connection = SqliteDatabase.Open(DbPath, Schema);
        AssertSettled(connection);
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'kept'"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_not_overwritten()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        var junk = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(DbPath, junk);
        var error = Assert.Throws<SpecSynthException>(() => SqliteDatabase.Open(DbPath, Schema));
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(junk, File.ReadAllBytes(DbPath));
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertSettled(SqliteConnection connection)
    {
        Assert.Equal("wal", Convert.ToString(Scalar(connection, "PRAGMA journal_mode"), CultureInfo.InvariantCulture));
        Assert.Equal(1L, Scalar(connection, "PRAGMA synchronous"));
        Assert.Equal((long)SqliteDatabase.BusyTimeout.TotalMilliseconds, Scalar(connection, "PRAGMA busy_timeout"));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
