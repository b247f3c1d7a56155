using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;
using SpecSynth.State;

namespace SpecSynth.Tests.Caching;

/// <summary>Misses answered from the keys the cache knows (issue 19): only while nobody else committed to the file, so that
/// an entry committed by another cache or process is never missed, and the keys already in the file are known.</summary>
public sealed class KnownKeysTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private string DbPath => _dir.Combine("cache", "responses.db");

    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    [Fact]
    public async Task A_write_after_another_connection_s_commit_looks_for_the_entry_of_its_hash_and_rewrites_it()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await UntilTrusted(cache);
        await cache.SetAsync("loaded", Bytes("1"), NoExpiry);
        // Another connection adds an entry under the hash of "k" (another key: a collision made by hand) once this cache
        // trusts its set: the set no longer says what the file holds.
        using (var foreign = SqliteDatabase.Open(DbPath, ""))
        {
            using var insert = foreign.CreateCommand();
            insert.CommandText = "INSERT INTO cache_items (hash, key, value) VALUES ($h, 'other', x'01')";
            insert.Parameters.AddWithValue("$h", EntryHash.Of("k"));
            insert.ExecuteNonQuery();
        }

        Assert.True(cache.Stage("k", Bytes("mine"), NoExpiry));
        await cache.CountAsync(); // commits what is staged
        Assert.Equal("mine", Text(cache.Get("k")));
        Assert.Null(cache.Get("other"));
        using var check = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM cache_items WHERE hash = $h";
        count.Parameters.AddWithValue("$h", EntryHash.Of("k"));
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Keys_already_in_the_file_are_found_and_a_cache_s_own_writes_keep_misses_answered_without_a_read()
    {
        using (var first = new SqliteDistributedCache(DbPath, _time))
        {
            for (var i = 0; i < 300; i++)
            {
                await first.SetAsync($"old-{i}", Bytes($"v{i}"), NoExpiry);
            }
        }
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await UntilTrusted(cache);
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal($"v{i}", Text(cache.Get($"old-{i}")));
        }
        Assert.Null(cache.Get("new"));
        Assert.True(cache.AnswersMissesWithoutRead);

        // Its own writes of every kind: still trusted, and what they wrote is read back.
        cache.Set("a", Bytes("one"), NoExpiry);
        await cache.SetAsync("b", Bytes("two"), NoExpiry);
        Assert.True(cache.Stage("c", Bytes("three"), NoExpiry));
        _time.Advance(SqliteDistributedCache.StageDelay);
        cache.Remove("old-0");
        cache.Add("hits", 2);
        Assert.True(cache.AnswersMissesWithoutRead);
        Assert.Equal("one", Text(cache.Get("a")));
        Assert.Equal("two", Text(cache.Get("b")));
        Assert.Equal("three", Text(cache.Get("c")));
        Assert.Null(cache.Get("old-0"));
        Assert.Null(cache.Get("still-new"));
        Assert.Equal(2, cache.Counter("hits"));
    }

    [Fact]
    public async Task An_entry_another_cache_committed_is_found_at_once_and_the_known_keys_are_then_abandoned()
    {
        using var mine = new SqliteDistributedCache(DbPath, _time);
        using var other = new SqliteDistributedCache(DbPath, _time);
        await UntilTrusted(mine);
        await mine.SetAsync("mine", Bytes("m"), NoExpiry);
        Assert.True(mine.AnswersMissesWithoutRead);
        for (var i = 0; i < 50; i++)
        {
            Assert.Null(mine.Get($"theirs-{i}"));
            await other.SetAsync($"theirs-{i}", Bytes($"t{i}"), NoExpiry);
            Assert.Equal($"t{i}", Text(mine.Get($"theirs-{i}")));
        }

        // Its next commit finds that someone else committed since its own last one: from then on every read goes to
        // the file.
        await mine.SetAsync("mine-2", Bytes("m2"), NoExpiry);
        Assert.False(mine.AnswersMissesWithoutRead);
        await other.SetAsync("theirs-late", Bytes("late"), NoExpiry);
        Assert.Equal("late", Text(mine.Get("theirs-late")));
        Assert.Equal("m2", Text(other.Get("mine-2")));
    }

    [Fact]
    public async Task A_reader_racing_another_connection_s_commits_never_misses_a_committed_entry()
    {
        using var mine = new SqliteDistributedCache(DbPath, _time);
        await UntilTrusted(mine);
        using var foreign = SqliteDatabase.Open(DbPath, "");
        var committed = -1;
        var done = false;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 400; i++)
            {
                using var insert = foreign.CreateCommand();
                insert.CommandText = "INSERT INTO cache_items (hash, key, value) VALUES ($h, $k, x'01')";
                insert.Parameters.AddWithValue("$h", EntryHash.Of($"f-{i}"));
                insert.Parameters.AddWithValue("$k", $"f-{i}");
                insert.ExecuteNonQuery();
                Volatile.Write(ref committed, i);
            }
            Volatile.Write(ref done, true);
        });
        var ownWrites = 0;
        while (!Volatile.Read(ref done))
        {
            var last = Volatile.Read(ref committed);
            if (last >= 0)
            {
                Assert.NotNull(mine.Get($"f-{last}"));
            }
            Assert.Null(mine.Get("never-written"));
            if (++ownWrites % 16 == 0)
            {
                await mine.SetAsync($"own-{ownWrites}", Bytes("o"), NoExpiry);
            }
        }
        await writer;
        Assert.NotNull(mine.Get("f-399"));
    }

    [Fact]
    public void The_wal_index_header_changes_with_every_commit_of_any_connection()
    {
        using var writer = SqliteDatabase.Open(DbPath, "CREATE TABLE IF NOT EXISTS t (v INTEGER);");
        using var header = WalIndexHeader.TryOpen(DbPath);
        Assert.NotNull(header);
        Assert.True(header.TryRead(out var before));
        using var other = SqliteDatabase.Open(DbPath, "");
        SqliteDatabase.Execute(other, "INSERT INTO t VALUES (1);");
        Assert.True(header.TryRead(out var after));
        Assert.NotEqual(before, after);
        Assert.Equal(before.Commits + 1, after.Commits);
        SqliteDatabase.Execute(other, "SELECT COUNT(*) FROM t;");
        Assert.True(header.TryRead(out var unchanged));
        Assert.Equal(after, unchanged);
        header.Dispose();
        Assert.False(header.TryRead(out _));
    }

    [Fact]
    public void Disposing_one_cache_leaves_another_cache_of_the_same_file_its_shared_memory_locks()
    {
        // POSIX record locks belong to the process: closing ANY descriptor of a file drops every lock the process holds
        // on it (https://www.sqlite.org/howtocorrupt.html, 2.2). SQLite keeps a read lock on the -shm file's DMS byte for
        // as long as a connection is open (and read marks during reads); if the header's own descriptor were closed while
        // another cache of this process still used the file, another process could reset the shared memory or restart the
        // log under that cache's reads.
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/locks and /proc/self/maps: Linux (CI) only
        }
        var first = new SqliteDistributedCache(DbPath, _time);
        using var second = new SqliteDistributedCache(DbPath, _time);
        first.Set("k", Bytes("v"), NoExpiry);
        Assert.Equal("v", Text(second.Get("k")));
        var inode = ShmInode();
        Assert.True(ShmLocks(inode) > 0);
        first.Dispose();
        Assert.True(ShmLocks(inode) > 0, "the other cache's locks on the -shm file were dropped");
        Assert.Equal("v", Text(second.Get("k")));
    }

    /// <summary>The inode of the -shm file SQLite mapped in this process (from /proc/self/maps).</summary>
    private string ShmInode() => File.ReadLines("/proc/self/maps")
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .First(fields => fields.Length >= 6 && fields[5] == DbPath + "-shm")[4];

    /// <summary>POSIX locks this process holds on the inode (from /proc/locks: "1: POSIX ADVISORY READ pid maj:min:inode ...").</summary>
    private static int ShmLocks(string inode) => File.ReadLines("/proc/locks")
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Count(fields => fields.Length >= 6 && fields[1] == "POSIX" && fields[4] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && fields[5].EndsWith(":" + inode, StringComparison.Ordinal));

    [Fact]
    public void A_database_without_a_log_has_no_header_to_read()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        using (var plain = new SqliteConnection($"Data Source={DbPath};Pooling=false"))
        {
            plain.Open();
            using var create = plain.CreateCommand();
            create.CommandText = "CREATE TABLE t (v INTEGER);";
            create.ExecuteNonQuery();
        }
        Assert.Null(WalIndexHeader.TryOpen(DbPath));
    }

    private static async Task UntilTrusted(SqliteDistributedCache cache)
    {
        for (var i = 0; i < 500 && !cache.AnswersMissesWithoutRead; i++)
        {
            await Task.Delay(10);
        }
        Assert.True(cache.AnswersMissesWithoutRead);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);

    public void Dispose() => _dir.Dispose();
}
