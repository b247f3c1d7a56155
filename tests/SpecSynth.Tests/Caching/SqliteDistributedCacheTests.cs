using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;
using SpecSynth.State;

namespace SpecSynth.Tests.Caching;

public sealed class SqliteDistributedCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private string DbPath => _dir.Combine("cache", "responses.db");

    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    [Fact]
    public async Task Stores_reads_overwrites_and_removes_values()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        Assert.Null(await cache.GetAsync("a"));
        await cache.SetAsync("a", Bytes("one"), NoExpiry);
        Assert.Equal("one", Text(await cache.GetAsync("a")));
        await cache.SetAsync("a", Bytes("two"), NoExpiry);
        Assert.Equal("two", Text(await cache.GetAsync("a")));
        await cache.RemoveAsync("a");
        Assert.Null(await cache.GetAsync("a"));
    }

    [Fact]
    public async Task Values_survive_reopening_the_file()
    {
        using (var cache = new SqliteDistributedCache(DbPath, _time))
        {
            await cache.SetAsync("k", Bytes("kept"), NoExpiry);
        }
        using var again = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal("kept", Text(await again.GetAsync("k")));
    }

    [Fact]
    public async Task Absolute_expiry_is_honoured_and_expired_rows_are_purged_on_write()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await cache.SetAsync("short", Bytes("x"), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
        await cache.SetAsync("long", Bytes("y"), new DistributedCacheEntryOptions { AbsoluteExpiration = _time.GetUtcNow().AddDays(2) });
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await cache.GetAsync("short"));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("short"));
        Assert.NotNull(await cache.GetAsync("long"));
        Assert.Equal((1L, 1L), await cache.CountAsync());
        await cache.SetAsync("other", Bytes("z"), NoExpiry);
        Assert.Equal(2, RowCount());
    }

    [Fact]
    public async Task Sliding_expiry_is_extended_by_reads_but_never_past_the_absolute_expiry()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await cache.SetAsync("s", Bytes("v"), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromMinutes(10),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(25),
        });
        _time.Advance(TimeSpan.FromMinutes(8));
        Assert.NotNull(await cache.GetAsync("s"));
        _time.Advance(TimeSpan.FromMinutes(8));
        Assert.NotNull(await cache.GetAsync("s"));
        await cache.RefreshAsync("s");
        _time.Advance(TimeSpan.FromMinutes(8));
        Assert.NotNull(await cache.GetAsync("s"));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("s"));

        await cache.SetAsync("idle", Bytes("v"), new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(await cache.GetAsync("idle"));
    }

    [Fact]
    public async Task Count_and_clear_cover_live_entries()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await cache.SetAsync("a", Bytes("12345"), NoExpiry);
        await cache.SetAsync("b", Bytes("123"), NoExpiry);
        Assert.Equal((2L, 8L), await cache.CountAsync());
        Assert.Equal(2, await cache.ClearAsync());
        Assert.Equal((0L, 0L), await cache.CountAsync());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        Directory.CreateDirectory(_dir.Combine("cache"));
        File.WriteAllText(DbPath, "this is not sqlite, it is a text file that is long enough to have a header of sorts.............");
        var ex = Assert.Throws<SpecSynthException>(() => new SqliteDistributedCache(DbPath, _time));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains(DbPath, ex.Message);
    }

    [Fact]
    public async Task Many_writers_and_readers_on_separate_connections_lose_nothing()
    {
        const int workers = 6;
        const int perWorker = 40;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            using var cache = new SqliteDistributedCache(DbPath, _time);
            for (var i = 0; i < perWorker; i++)
            {
                await cache.SetAsync($"w{w}-{i}", Bytes($"value {w} {i}"), NoExpiry);
                // Every worker also reads what the others wrote so far (through its own connection).
                _ = await cache.GetAsync($"w{(w + 1) % workers}-{i / 2}");
                await cache.SetAsync("shared", Bytes($"{w}:{i}"), NoExpiry);
            }
        })));
        using var check = new SqliteDistributedCache(DbPath, _time);
        for (var w = 0; w < workers; w++)
        {
            for (var i = 0; i < perWorker; i++)
            {
                Assert.Equal($"value {w} {i}", Text(await check.GetAsync($"w{w}-{i}")));
            }
        }
        Assert.Equal((workers * perWorker) + 1, (await check.CountAsync()).Entries);
        Assert.Matches("^[0-5]:39$", Text(await check.GetAsync("shared")));
    }

    [Fact]
    public async Task Entries_set_together_by_one_cache_are_each_in_the_file_when_their_set_returns()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            // Another connection, as another process reads the file.
            using var other = new SqliteDistributedCache(DbPath, _time);
            for (var i = 0; i < 60; i++)
            {
                await cache.SetAsync($"w{w}-{i}", Bytes($"value {w} {i}"), NoExpiry);
                Assert.Equal($"value {w} {i}", Text(await other.GetAsync($"w{w}-{i}")));
            }
        })));
        Assert.Equal(16 * 60, (await cache.CountAsync()).Entries);
    }

    [Fact]
    public async Task A_read_does_not_wait_for_a_write_of_the_same_cache_that_waits_for_the_write_lock()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await cache.SetAsync("a", Bytes("committed"), NoExpiry);
        // Another process holds the write lock: this cache's next write waits for it (busy timeout) holding the write connection.
        using var other = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = $"BEGIN IMMEDIATE; INSERT INTO cache_items (hash, key, value) VALUES ({EntryHash.Of("x")}, 'x', x'00');";
            begin.ExecuteNonQuery();
        }
        var write = cache.SetAsync("b", Bytes("later"), NoExpiry);
        await Task.Delay(100);
        Assert.False(write.IsCompleted, "the write waits for the other process's lock");

        var read = Task.Run(() => cache.GetAsync("a"));
        var missing = Task.Run(() => cache.GetAsync("b"));
        Assert.Equal("committed", Text(await read.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Null(await missing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(write.IsCompleted);

        using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("later", Text(await cache.GetAsync("b")));
        Assert.Equal("\0", Text(await cache.GetAsync("x")));
    }

    [Fact]
    public async Task The_log_stays_bounded_under_concurrent_writes_and_reads()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        var value = new byte[16_000];
        // 16 writers, 6,400 entries of five pages each (the row and its overflow pages): about 32,000 pages written to
        // the log, eight times what a checkpoint is due at (SqliteDistributedCache.CheckpointPages).
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                Assert.Null(await cache.GetAsync($"w{w}-{i}"));
                await cache.SetAsync($"w{w}-{i}", value, NoExpiry);
            }
        })));
        Assert.Equal(16 * 400, (await cache.CountAsync()).Entries);
        var log = new FileInfo(DbPath + "-wal").Length;
        // A log restarted after each checkpoint holds about what a checkpoint is due at, and what is written while one runs
        // (without a checkpoint that lets the log restart it would grow with every page written).
        Assert.True(log < 4L * SqliteDistributedCache.CheckpointPages * 4096, $"the log grew to {log} bytes");
    }

    [Fact]
    public async Task Sets_after_dispose_fail_and_write_nothing()
    {
        var cache = new SqliteDistributedCache(DbPath, _time);
        await cache.SetAsync("before", Bytes("kept"), NoExpiry);
        cache.Dispose();

        var failures = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Record.ExceptionAsync(() => cache.SetAsync($"after{i}", Bytes("x"), NoExpiry))));

        Assert.All(failures, f => Assert.IsType<ObjectDisposedException>(f));
        using var check = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal(1, (await check.CountAsync()).Entries);
    }

    public void Dispose() => _dir.Dispose();

    private int RowCount()
    {
        using var connection = SpecSynth.State.SqliteDatabase.Open(DbPath, "");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM cache_items";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);
}
