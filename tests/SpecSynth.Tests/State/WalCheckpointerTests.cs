using Microsoft.Data.Sqlite;
using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary>The checkpoint off the request path: it runs while another connection holds the write lock, copies the whole
/// log when no write is under way (so the next write restarts it), and is queued once enough pages were reported.</summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string DbPath => _dir.Combine("state", "t.db");

    [Fact]
    public void A_checkpoint_does_not_wait_for_a_writer_and_the_next_write_restarts_a_wholly_copied_log()
    {
        using var writer = SqliteDatabase.Open(DbPath, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL);");
        WalCheckpointer.Backstop(writer);
        Insert(writer, 200);
        var walBytes = new FileInfo(DbPath + "-wal").Length;
        var gate = new Lock();
        using var checkpointer = new WalCheckpointer(DbPath, gate);

        // Another connection holds the write lock with a transaction open: the checkpoint neither waits nor fails.
        using var other = SqliteDatabase.Open(DbPath, "");
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES (x'01');";
            begin.ExecuteNonQuery();
        }
        var started = DateTime.UtcNow;
        var result = checkpointer.CheckpointNow();
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.NotNull(result);
        Assert.True(result.Value.Log > 0);
        Assert.Equal(result.Value.Log, result.Value.Checkpointed);
        SqliteDatabase.Execute(other, "ROLLBACK;");

        // The log was copied whole: the next write starts it again from its beginning instead of growing it (to about
        // twice its size).
        Insert(writer, 200);
        var after = new FileInfo(DbPath + "-wal").Length;
        Assert.True(after < walBytes * 5 / 4, $"the log grew from {walBytes} to {after} bytes");
        Assert.Equal(1, checkpointer.Checkpoints);
        using var count = writer.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(400L, count.ExecuteScalar());
    }

    [Fact]
    public async Task A_checkpoint_is_queued_once_enough_pages_are_reported_and_waits_for_the_writer_lock_in_process()
    {
        using var writer = SqliteDatabase.Open(DbPath, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL);");
        Insert(writer, 50);
        var gate = new Lock();
        using var checkpointer = new WalCheckpointer(DbPath, gate);
        checkpointer.Committed(WalCheckpointer.Pages - 1);
        await Task.Delay(200);
        Assert.Equal(0, checkpointer.Checkpoints);

        // The second pass runs under the writer's lock: held here, the checkpoint cannot end.
        lock (gate)
        {
            checkpointer.Committed(1);
            Thread.Sleep(300);
            Assert.Equal(0, checkpointer.Checkpoints);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (checkpointer.Checkpoints == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(1, checkpointer.Checkpoints);
    }

    [Fact]
    public void After_dispose_no_checkpoint_runs()
    {
        using var writer = SqliteDatabase.Open(DbPath, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL);");
        var checkpointer = new WalCheckpointer(DbPath, new Lock());
        checkpointer.Dispose();
        Assert.Null(checkpointer.CheckpointNow());
        Assert.Equal(0, checkpointer.Checkpoints);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static void Insert(SqliteConnection connection, int rows)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO t (v) VALUES (zeroblob(3000))";
        for (var i = 0; i < rows; i++)
        {
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
