using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;
using SpecSynth.State;

namespace SpecSynth.Tests.Caching;

/// <summary>The cache file's schema: entries found by a 64-bit hash through pointers (recent, then moved to the slots) and
/// checked against the full key (session 16), and the former schemas' tables emptied (not dropped) when an older file is
/// opened.</summary>
public sealed class SqliteDistributedCacheSchemaTests : IDisposable
{
    /// <summary>The schema every file had before session 15.</summary>
    private const string FormerSchema = """
        CREATE TABLE IF NOT EXISTS cache_entries (
            key TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL,
            expires_at INTEGER NULL,
            sliding_ms INTEGER NULL,
            absolute_at INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS cache_entries_expiry ON cache_entries(expires_at);
        CREATE TABLE IF NOT EXISTS cache_counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
        """;

    /// <summary>The schema of session 15 (one unique index of the hashes) and its release's upsert.</summary>
    private const string Session15Schema = """
        CREATE TABLE IF NOT EXISTS entries (
            hash INTEGER NOT NULL,
            key TEXT NOT NULL,
            value BLOB NOT NULL,
            expires_at INTEGER NULL,
            sliding_ms INTEGER NULL,
            absolute_at INTEGER NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS entries_hash ON entries(hash);
        CREATE INDEX IF NOT EXISTS entries_expiry ON entries(expires_at);
        CREATE TABLE IF NOT EXISTS cache_counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
        """;

    private const string Session15Upsert = """
        INSERT INTO entries (hash, key, value) VALUES ($hash, $key, x'6f6c64')
        ON CONFLICT(hash) DO UPDATE SET key = excluded.key, value = excluded.value
        """;

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private string DbPath => _dir.Combine("cache", "responses.db");

    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    [Fact]
    public async Task A_file_of_the_former_schema_loses_its_entries_and_keeps_working()
    {
        using (var former = SqliteDatabase.Open(DbPath, FormerSchema))
        {
            using var insert = former.CreateCommand();
            insert.CommandText = "INSERT INTO cache_entries (key, value) VALUES ('a', x'6f6c64'); INSERT INTO cache_counters VALUES ('hits', 7);";
            insert.ExecuteNonQuery();
        }

        using (var cache = new SqliteDistributedCache(DbPath, _time))
        {
            Assert.Null(await cache.GetAsync("a"));
            Assert.Equal(0, (await cache.CountAsync()).Entries);
            Assert.Equal(7, cache.Counter("hits"));
            await cache.SetAsync("a", Bytes("new"), NoExpiry);
            Assert.Equal("new", Text(await cache.GetAsync("a")));
        }

        Assert.Contains("cache_entries", Tables());
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM cache_entries"));
        // Opened again (nothing left to delete): the entry written through the new schema is there.
        using var again = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal("new", Text(await again.GetAsync("a")));
    }

    [Fact]
    public async Task An_earlier_release_with_the_file_open_keeps_working_when_this_one_opens_it()
    {
        // The earlier release: its connection and a prepared statement on its table, open while this release migrates.
        using var former = SqliteDatabase.Open(DbPath, FormerSchema);
        using var insert = former.CreateCommand();
        insert.CommandText = "INSERT OR REPLACE INTO cache_entries (key, value) VALUES ($key, x'6f6c64')";
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        insert.Prepare();
        key.Value = "before";
        insert.ExecuteNonQuery();

        using (var cache = new SqliteDistributedCache(DbPath, _time))
        {
            Assert.Null(await cache.GetAsync("before"));
            await cache.SetAsync("mine", Bytes("mine"), NoExpiry);
        }

        key.Value = "after";
        insert.ExecuteNonQuery();
        using var select = former.CreateCommand();
        select.CommandText = "SELECT key FROM cache_entries";
        Assert.Equal("after", select.ExecuteScalar());
    }

    [Fact]
    public async Task Two_caches_opening_a_file_of_the_former_schema_at_once_both_work_and_see_each_other()
    {
        using (var former = SqliteDatabase.Open(DbPath, FormerSchema))
        {
            using var insert = former.CreateCommand();
            insert.CommandText = "INSERT INTO cache_entries (key, value) VALUES ('a', x'6f6c64');";
            insert.ExecuteNonQuery();
        }

        var opened = await Task.WhenAll(Task.Run(() => new SqliteDistributedCache(DbPath, _time)), Task.Run(() => new SqliteDistributedCache(DbPath, _time)));
        using var first = opened[0];
        using var second = opened[1];
        await first.SetAsync("one", Bytes("1"), NoExpiry);
        await second.SetAsync("two", Bytes("2"), NoExpiry);
        Assert.Equal("2", Text(await first.GetAsync("two")));
        Assert.Equal("1", Text(await second.GetAsync("one")));
        Assert.Null(await first.GetAsync("a"));
    }

    [Fact]
    public async Task An_entry_of_the_same_hash_and_another_key_is_never_returned()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        await cache.SetAsync("mine", Bytes("mine"), NoExpiry);
        // Another writer stores a different key under the hash of "a" (a collision, made by hand).
        using (var other = SqliteDatabase.Open(DbPath, ""))
        {
            using var insert = other.CreateCommand();
            insert.CommandText = "INSERT INTO cache_items (hash, key, value) VALUES ($hash, 'not-a', x'6f74686572')";
            insert.Parameters.AddWithValue("$hash", EntryHash.Of("a"));
            insert.ExecuteNonQuery();
        }

        Assert.Null(await cache.GetAsync("a"));
        await cache.RefreshAsync("a");
        await cache.RemoveAsync("a");
        Assert.Equal(2, (await cache.CountAsync()).Entries);

        // Writing "a" takes the slot over: the other key's entry is lost (a cache may lose an entry), never served for "a".
        await cache.SetAsync("a", Bytes("a's"), NoExpiry);
        Assert.Equal("a's", Text(await cache.GetAsync("a")));
        Assert.Null(await cache.GetAsync("not-a"));
        Assert.Equal("mine", Text(await cache.GetAsync("mine")));
    }

    [Fact]
    public async Task A_file_of_session_15_loses_its_entries_and_its_release_keeps_writing_it_while_open()
    {
        using var former = SqliteDatabase.Open(DbPath, Session15Schema);
        using var upsert = former.CreateCommand();
        upsert.CommandText = Session15Upsert;
        var hash = upsert.Parameters.Add("$hash", SqliteType.Integer);
        var key = upsert.Parameters.Add("$key", SqliteType.Text);
        upsert.Prepare();
        (hash.Value, key.Value) = (EntryHash.Of("a"), "a");
        upsert.ExecuteNonQuery();

        using (var cache = new SqliteDistributedCache(DbPath, _time))
        {
            Assert.Null(await cache.GetAsync("a"));
            Assert.Equal(0, (await cache.CountAsync()).Entries);
            await cache.SetAsync("a", Bytes("new"), NoExpiry);
        }
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM entries"));

        // The earlier release's prepared upsert still runs (its table and unique index are kept), on its own table.
        (hash.Value, key.Value) = (EntryHash.Of("b"), "b");
        upsert.ExecuteNonQuery();
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM entries"));
        using var again = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal("new", Text(await again.GetAsync("a")));
        Assert.Null(await again.GetAsync("b"));
    }

    [Fact]
    public async Task Entries_are_found_before_and_after_their_pointers_move_by_this_cache_and_by_another()
    {
        var count = SqliteDistributedCache.MergeRows + 100;
        using (var cache = new SqliteDistributedCache(DbPath, _time))
        {
            for (var i = 0; i < count; i += 50)
            {
                // Batches of 50 through the staged writes, as the pipeline's misses.
                for (var j = i; j < Math.Min(count, i + 50); j++)
                {
                    Assert.True(cache.Stage($"k{j}", Bytes($"v{j}"), NoExpiry));
                }
                await cache.CountAsync();
            }
            // One commit moved the first MergeRows' pointers (at least) into the slots; the rest are recent.
            Assert.True(Scalar("SELECT COUNT(*) FROM cache_slots") >= SqliteDistributedCache.MergeRows);
            Assert.True(Scalar("SELECT COUNT(*) FROM cache_recent") < 100 + 50);
            Assert.Equal(count, Scalar("SELECT COUNT(*) FROM cache_slots") + Scalar("SELECT COUNT(*) FROM cache_recent"));
            for (var j = 0; j < count; j++)
            {
                Assert.Equal($"v{j}", Text(await cache.GetAsync($"k{j}")));
            }
            // A key rewritten once its pointer is in the slots: one entry, the new value.
            await cache.SetAsync("k0", Bytes("v0 again"), NoExpiry);
            Assert.Equal(count, (await cache.CountAsync()).Entries);
        }

        // Another cache (its own map loads from the pointers; and a reader that never writes, through the file).
        using var other = new SqliteDistributedCache(DbPath, _time);
        Assert.Equal("v0 again", Text(await other.GetAsync("k0")));
        for (var j = 1; j < count; j += 97)
        {
            Assert.Equal($"v{j}", Text(await other.GetAsync($"k{j}")));
        }
        Assert.Null(await other.GetAsync($"k{count}"));
        using var reader = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        reader.Open();
        using var plan = reader.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT value FROM cache_items WHERE rowid = coalesce((SELECT item FROM cache_recent WHERE hash = 1), (SELECT item FROM cache_slots WHERE hash = 1)) AND key = 'k'";
        using var steps = plan.ExecuteReader();
        while (steps.Read())
        {
            Assert.DoesNotContain("SCAN", steps.GetString(3), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Removed_and_expired_entries_take_their_pointers_with_them()
    {
        using var cache = new SqliteDistributedCache(DbPath, _time);
        for (var i = 0; i < SqliteDistributedCache.MergeRows + 10; i++)
        {
            await cache.SetAsync($"k{i}", Bytes("v"), i % 2 == 0 ? NoExpiry : new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
        }
        await cache.RemoveAsync("k0");
        await cache.RemoveAsync($"k{SqliteDistributedCache.MergeRows + 8}");
        _time.Advance(TimeSpan.FromMinutes(2));
        await cache.SetAsync("later", Bytes("v"), NoExpiry); // a write purges what has expired

        var items = Scalar("SELECT COUNT(*) FROM cache_items");
        Assert.Equal(((SqliteDistributedCache.MergeRows + 10) / 2) - 2 + 1, items);
        Assert.Equal(items, Scalar("SELECT COUNT(*) FROM cache_slots") + Scalar("SELECT COUNT(*) FROM cache_recent"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM (SELECT item FROM cache_slots UNION ALL SELECT item FROM cache_recent) WHERE item NOT IN (SELECT rowid FROM cache_items)"));
        Assert.Null(await cache.GetAsync("k0"));
        Assert.Null(await cache.GetAsync("k1"));
        Assert.Equal("v", Text(await cache.GetAsync("k2")));
        Assert.Equal(items, await cache.ClearAsync());
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM cache_slots") + Scalar("SELECT COUNT(*) FROM cache_recent"));
    }

    [Fact]
    public void The_hash_is_the_digest_s_first_8_bytes_for_a_hex_key_and_a_sha256_prefix_otherwise()
    {
        // Stored in every file: these values must never change.
        var hex = Convert.ToHexStringLower(SHA256.HashData("request"u8));
        Assert.Equal(Convert.ToInt64(hex[..16], 16), EntryHash.Of(hex));
        Assert.Equal(Convert.ToInt64(hex[..16], 16), EntryHash.Of(hex.ToUpperInvariant()));
        Assert.Equal(unchecked((long)0xca978112ca1bbdcaUL), EntryHash.Of("a")); // SHA-256("a") = ca978112ca1bbdca...
        Assert.Equal(Convert.ToInt64(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hex[..63] + "g")))[..16], 16),
            EntryHash.Of(hex[..63] + "g"));
        Assert.NotEqual(EntryHash.Of("b"), EntryHash.Of("a"));
    }

    public void Dispose() => _dir.Dispose();

    private List<string> Tables()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var list = connection.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table'";
        using var reader = list.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Text(byte[]? b) => b is null ? null : Encoding.UTF8.GetString(b);
}
