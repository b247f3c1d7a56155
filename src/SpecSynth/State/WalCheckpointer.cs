using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SpecSynth.State;

/// <summary>
/// Checkpoints one WAL database off the request path (issue 19): SQLite's automatic checkpoint runs inside the commit that
/// crosses <c>wal_autocheckpoint</c> pages, on the connection that commits, so a grouped commit held its lock (and every
/// request of its group, and every request handed over meanwhile, waited) through the copy of the log into the file and
/// its two <c>fsync</c>s. Here the writer reports what it committed (<see cref="Committed"/>); once about
/// <see cref="Pages"/> pages are in the log, a checkpoint runs on the thread pool on this object's own connection in two
/// PASSIVE passes (a PASSIVE checkpoint never takes the write lock and never waits for a reader): the first copies the log
/// while the writer goes on; the second, under the writer's in-process lock (so no write of this process is under way),
/// copies only what was committed during the first, so the log is then wholly in the file and the writer's next
/// transaction restarts it from its start (SQLite restarts a log only when a write begins after a checkpoint that copied
/// all of it: a checkpoint that always lags behind the writer would let the log grow). The log stays as bounded as with
/// the automatic checkpoint; the writer's own automatic checkpoint stays at <see cref="BackstopPages"/>
/// (<see cref="Backstop(SqliteConnection)"/>) in case these checkpoints cannot run, and other processes sharing the file checkpoint on
/// their own. Thread-safe; dispose before taking the writer's lock to close it (the last connection to close checkpoints
/// the rest).
/// </summary>
/// <param name="path">The database file (already created by the writer).</param>
/// <param name="writerGate">The lock the writer holds while it writes (its transactions and <see cref="Committed"/>).</param>
/// <param name="threshold">Pages reported after which a checkpoint runs: <see cref="Pages"/> unless the file's owner chooses
/// otherwise (then its writer's backstop is <see cref="Backstop(SqliteConnection, int)"/> with the same threshold).</param>
internal sealed class WalCheckpointer(string path, Lock writerGate, int threshold = WalCheckpointer.Pages) : IDisposable
{
    /// <summary>Pages written (as the writer counts them) after which a checkpoint is run: SQLite's default
    /// <c>wal_autocheckpoint</c>.</summary>
    public const int Pages = 1000;

    /// <summary>The writer's own automatic checkpoint, a backstop only: when a checkpoint here lags (the pool is busy, the
    /// writer never pauses) the log still never grows past three times <see cref="Pages"/> (plus one commit), and the
    /// backstop then has only what these checkpoints had not copied yet to copy.</summary>
    public const int BackstopPages = 3 * Pages;

    private static readonly Action<WalCheckpointer> RunCheckpoint = static checkpointer => checkpointer.Run();

    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private int _pages;
    private int _running;
    private bool _disposed;

    /// <summary>Checkpoints run so far that reached the database (tests and diagnostics).</summary>
    public int Checkpoints { get; private set; }

    /// <summary>Sets the writer connection's automatic checkpoint to the backstop (<see cref="BackstopPages"/>).</summary>
    public static void Backstop(SqliteConnection writer) => Backstop(writer, Pages);

    /// <summary>Sets the writer connection's automatic checkpoint to three times <paramref name="threshold"/>, the backstop
    /// of a checkpointer created with that threshold.</summary>
    public static void Backstop(SqliteConnection writer, int threshold) =>
        SqliteDatabase.Execute(writer, $"PRAGMA wal_autocheckpoint = {3 * threshold};");

    /// <summary>Reports <paramref name="pages"/> pages (an estimate: frames the commit added to the log) committed by the
    /// writer; queues a checkpoint once about the threshold (<see cref="Pages"/> by default) have been reported since the last one was queued and
    /// none is running. Never blocks and never throws.</summary>
    public void Committed(int pages)
    {
        if (Interlocked.Add(ref _pages, pages) < threshold || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }
        Interlocked.Exchange(ref _pages, 0);
        ThreadPool.UnsafeQueueUserWorkItem(RunCheckpoint, this, preferLocal: false);
    }

    /// <summary>Runs the checkpoint now, on this object's connection (what the queued work does): a PASSIVE pass while the
    /// writer goes on, then one under the writer's lock for what it committed meanwhile.</summary>
    /// <returns>The log's frames and how many of them are in the database after the second pass, or <c>null</c> when it
    /// could not run (disposed, the file cannot be opened, another process's checkpoint holds the lock).</returns>
    public (int Log, int Checkpointed)? CheckpointNow()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }
            try
            {
                _connection ??= SqliteDatabase.Open(path, "");
                var started = BackgroundWork.Start();
                var first = Passive(_connection);
                BackgroundWork.End("checkpoint", started);
                if (first is null)
                {
                    return null;
                }
                (int Log, int Checkpointed)? last;
                lock (writerGate)
                {
                    started = BackgroundWork.Start();
                    last = Passive(_connection);
                    BackgroundWork.End("checkpoint-locked", started);
                }
                if (last is not null)
                {
                    Checkpoints++;
                }
                return last;
            }
            catch (Exception ex) when (ex is SqliteException or SpecSynthException)
            {
                // Housekeeping only: the next one tries again, the writer's backstop bounds the log meanwhile.
                return null;
            }
        }
    }

    /// <summary>One PASSIVE checkpoint: the log's frames and how many are in the file, or <c>null</c> (busy, an error).</summary>
    private static (int Log, int Checkpointed)? Passive(SqliteConnection connection) =>
        raw.sqlite3_wal_checkpoint_v2(connection.Handle, null, raw.SQLITE_CHECKPOINT_PASSIVE, out var log, out var done) == raw.SQLITE_OK
            ? (log, done)
            : null;

    /// <summary>Closes the connection; a checkpoint running finishes first, none runs after.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void Run()
    {
        try
        {
            CheckpointNow();
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
