using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;

namespace SpecSynth.Tests.Caching;

public sealed class WriteBehindCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private static readonly DistributedCacheEntryOptions Hour = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };

    private string DbPath => _dir.Combine("cache", "responses.db");

    [Fact]
    public void A_write_is_read_back_at_once_and_is_in_the_file_after_dispose()
    {
        using var file = new SqliteDistributedCache(DbPath, _time);
        var failures = 0;
        var cache = new WriteBehindCache(file, _time, (_, _) => failures++);
        for (var i = 0; i < 50; i++)
        {
            cache.Set("k" + i, Bytes("v" + i), Hour);
            Assert.Equal("v" + i, Text(cache.Get("k" + i)));
        }
        cache.Dispose();
        using var other = new SqliteDistributedCache(DbPath, _time);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("v" + i, Text(other.Get("k" + i)));
        }
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task Two_stores_of_one_file_share_the_queue_so_the_second_reads_what_the_first_only_queued()
    {
        // A host builds one pipeline per run and may never dispose the first: its queued entries must still be read.
        using var firstFile = new SqliteDistributedCache(DbPath, _time);
        var first = new WriteBehindCache(firstFile, _time);
        // The second store reaches the same file through a symbolic link to its folder: one queue per real path.
        var link = _dir.Combine("linked");
        Directory.CreateSymbolicLink(link, Path.GetDirectoryName(DbPath)!);
        using var secondFile = new SqliteDistributedCache(Path.Combine(link, "responses.db"), _time);
        using var second = new WriteBehindCache(secondFile, _time);
        for (var i = 0; i < 100; i++)
        {
            first.Set("k" + i, Bytes("v" + i), Hour);
            // Read at once through the other store, whether or not the writer has put it in the file yet.
            Assert.Equal("v" + i, Text(second.Get("k" + i)));
        }
        second.Set("theirs", Bytes("2"), Hour);
        Assert.Equal("2", Text(first.Get("theirs")));

        // Disposing one store writes the queue and leaves the other working.
        first.Dispose();
        Assert.Equal(101, (await firstFile.CountAsync()).Entries);
        second.Set("after", Bytes("3"), Hour);
        Assert.Equal("3", Text(second.Get("after")));
        second.Flush();
        Assert.Equal("3", Text(secondFile.Get("after")));
    }

    [Fact]
    public void Another_connection_sees_each_entry_whole_or_not_at_all_while_writes_are_queued()
    {
        using var file = new SqliteDistributedCache(DbPath, _time);
        using var cache = new WriteBehindCache(file, _time);
        var value = Bytes(new string('x', 20_000));
        using var other = new SqliteDistributedCache(DbPath, _time);
        for (var i = 0; i < 300; i++)
        {
            cache.Set("k" + i, value, Hour);
            // What a second process (or a later run after a kill) can read: the whole entry, or a miss.
            if (other.Get("k" + (i / 2)) is { } seen)
            {
                Assert.Equal(value, seen);
            }
        }
        cache.Flush();
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(value, other.Get("k" + i)));
    }

    [Fact]
    public async Task More_writes_than_the_queue_holds_are_all_kept()
    {
        using var file = new SqliteDistributedCache(DbPath, _time);
        using var cache = new WriteBehindCache(file, _time);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < CacheWriteQueue.MaxQueued; i++)
            {
                cache.Set($"w{w}-{i}", Bytes($"{w}/{i}"), Hour);
            }
        })).ToArray();
        await Task.WhenAll(writers);
        cache.Flush();
        Assert.Equal(4 * CacheWriteQueue.MaxQueued, (await file.CountAsync()).Entries);
        Assert.Equal("3/7", Text(file.Get("w3-7")));
    }

    [Fact]
    public void A_removed_entry_stays_removed_even_if_it_was_still_queued()
    {
        using var file = new SqliteDistributedCache(DbPath, _time);
        var cache = new WriteBehindCache(file, _time);
        cache.Set("k", Bytes("v"), Hour);
        cache.Remove("k");
        Assert.Null(cache.Get("k"));
        cache.Dispose();
        Assert.Null(file.Get("k"));
    }

    [Fact]
    public void A_queued_entry_expires_when_it_would_have_in_the_file()
    {
        using var file = new SqliteDistributedCache(DbPath, _time);
        var cache = new WriteBehindCache(file, _time);
        cache.Set("k", Bytes("v"), Hour);
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("v", Text(cache.Get("k")));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(cache.Get("k"));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            cache.Set("late", Bytes("v"), new DistributedCacheEntryOptions { AbsoluteExpiration = _time.GetUtcNow() }));
        cache.Dispose();
        Assert.Null(file.Get("k"));
    }

    [Fact]
    public async Task Counting_and_clearing_include_what_is_queued()
    {
        using var file = new SqliteDistributedCache(DbPath, _time);
        using var cache = new WriteBehindCache(file, _time);
        cache.Set("a", Bytes("1"), Hour);
        cache.Set("b", Bytes("2"), Hour);
        Assert.Equal(2, (await cache.CountAsync()).Entries);
        Assert.Equal(2, await cache.ClearAsync());
        Assert.Null(cache.Get("a"));
        Assert.Equal(0, (await file.CountAsync()).Entries);
    }

    [Fact]
    public async Task A_failed_background_write_is_reported_and_leaves_the_file_whole()
    {
        using (var seed = new SqliteDistributedCache(DbPath, _time))
        {
            seed.Set("old", Bytes("kept"), Hour);
        }
        var closed = new SqliteDistributedCache(DbPath, _time);
        var failed = new TaskCompletionSource<(int Entries, Exception Error)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cache = new WriteBehindCache(closed, _time, (entries, ex) => failed.TrySetResult((entries, ex)));
        // The connection the writer must use is gone (as when a disk error or a closed file stops it): the write fails.
        closed.Dispose();
        cache.Set("new", Bytes("lost"), Hour);

        var (entries, error) = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, entries);
        Assert.IsType<ObjectDisposedException>(error);
        // The entry is lost (a later miss), the file still has what it had and takes new writes.
        using var reopened = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal("kept", Text(reopened.Get("old")));
        Assert.Null(reopened.Get("new"));
        using var again = new WriteBehindCache(reopened, _time);
        again.Set("later", Bytes("ok"), Hour);
        again.Flush();
        Assert.Equal("ok", Text(reopened.Get("later")));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    public void Dispose() => _dir.Dispose();
}
