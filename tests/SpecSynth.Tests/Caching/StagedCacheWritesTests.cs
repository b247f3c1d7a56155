using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;

namespace SpecSynth.Tests.Caching;

/// <summary>The write-behind of <see cref="SqliteDistributedCache.Stage"/>: readable here at once, committed together after
/// <see cref="SqliteDistributedCache.StageDelay"/> or on dispose, superseded by writes and removals, failures reported once.</summary>
public sealed class StagedCacheWritesTests : IDisposable
{
    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private string DbPath => _dir.Combine("cache", "responses.db");

    [Fact]
    public void A_staged_entry_is_read_here_at_once_and_by_another_connection_once_the_delay_has_passed()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        using var other = new SqliteDistributedCache(DbPath, _time);
        cache.Stage("a", Bytes("one"), NoExpiry);
        cache.Stage("b", Bytes("two"), NoExpiry);

        Assert.Equal("one", Text(cache.Get("a")));
        Assert.Null(other.Get("a"));
        Assert.Equal(0, RowCount());

        _time.Advance(SqliteDistributedCache.StageDelay);
        Until(() => RowCount() == 2); // the timer queues the commit on the thread pool

        Assert.Equal("one", Text(other.Get("a")));
        Assert.Equal("two", Text(other.Get("b")));
        Assert.Equal(2, RowCount());
    }

    [Fact]
    public void Staged_entries_are_written_when_the_cache_is_disposed()
    {
        var cache = new SqliteDistributedCache(DbPath, _time);
        cache.Stage("a", Bytes("kept"), NoExpiry);
        cache.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.Stage("b", Bytes("late"), NoExpiry));
        using var again = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal("kept", Text(again.Get("a")));
        Assert.Null(again.Get("b"));
    }

    [Fact]
    public async Task A_later_write_or_removal_of_the_key_supersedes_what_was_staged()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        cache.Stage("a", Bytes("staged"), NoExpiry);
        await cache.SetAsync("a", Bytes("set"), NoExpiry);
        cache.Stage("b", Bytes("staged"), NoExpiry);
        await cache.RemoveAsync("b");

        _time.Advance(SqliteDistributedCache.StageDelay);

        Assert.Equal("set", Text(cache.Get("a")));
        Assert.Null(cache.Get("b"));
        Assert.Equal(1, RowCount());
    }

    [Fact]
    public async Task Counts_include_staged_entries_and_their_expiry_is_honoured()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        cache.Stage("short", Bytes("x"), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });

        Assert.Equal((1L, 1L), await cache.CountAsync());
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(cache.Get("short"));
        Assert.Equal((0L, 0L), await cache.CountAsync());
    }

    [Fact]
    public void At_most_MaxStaged_entries_wait_and_beyond_the_caller_is_told_to_write_itself()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        for (var i = 0; i < SqliteDistributedCache.MaxStaged; i++)
        {
            Assert.True(cache.Stage($"k{i}", Bytes("v"), NoExpiry));
        }

        Assert.False(cache.Stage("one more", Bytes("v"), NoExpiry));
        Assert.Null(cache.Get("one more"));
        Assert.True(cache.Stage("k0", Bytes("again"), NoExpiry));
        _time.Advance(SqliteDistributedCache.StageDelay);
        Until(() => RowCount() == SqliteDistributedCache.MaxStaged);

        Assert.Equal(SqliteDistributedCache.MaxStaged, RowCount());
        Assert.Equal("again", Text(cache.Get("k0")));
        Assert.True(cache.Stage("one more", Bytes("v"), NoExpiry));
    }

    [Fact]
    public void Entries_that_cannot_be_written_are_counted_and_reported_once_never_thrown()
    {
        var warnings = new List<string>();
        using var cache = new SqliteDistributedCache(DbPath, _time, warnings.Add);
        // Another connection takes the table away: every write of this cache now fails.
        using (var other = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            other.Open();
            using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE cache_items;";
            drop.ExecuteNonQuery();
        }
        cache.Stage("a", Bytes("one"), NoExpiry);
        cache.Stage("b", Bytes("two"), NoExpiry);
        _time.Advance(SqliteDistributedCache.StageDelay);
        Until(() => cache.FailedStagedWrites == 2);
        cache.Stage("c", Bytes("three"), NoExpiry);
        _time.Advance(SqliteDistributedCache.StageDelay);
        Until(() => cache.FailedStagedWrites == 3);

        Assert.Equal(3, cache.FailedStagedWrites);
        var warning = Assert.Single(warnings);
        Assert.Contains("could not store 2 replies", warning);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Waits (at most 10 s) for what the commit the timer queued makes true.</summary>
    private static void Until(Func<bool> done)
    {
        for (var i = 0; i < 1000 && !done(); i++)
        {
            Thread.Sleep(10);
        }
    }

    private int RowCount()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM cache_items";
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);
}
