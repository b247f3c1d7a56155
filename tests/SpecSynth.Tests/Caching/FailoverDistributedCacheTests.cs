using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using SpecSynth.Caching;

namespace SpecSynth.Tests.Caching;

public sealed class FailoverDistributedCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _warnings = [];

    [Fact]
    public async Task Uses_the_primary_until_it_fails_then_the_fallback_for_good_with_one_warning()
    {
        var primary = new FlakyCache();
        using var local = new SqliteDistributedCache(_dir.Combine("responses.db"), TimeProvider.System);
        var cache = new FailoverDistributedCache(primary, local, "at redis:6379/0", _warnings.Add);

        await cache.SetAsync("a", Encoding.UTF8.GetBytes("1"), new DistributedCacheEntryOptions());
        Assert.Equal("1", Encoding.UTF8.GetString((await cache.GetAsync("a"))!));
        Assert.Null(await local.GetAsync("a"));
        Assert.False(cache.IsDegraded);

        primary.Down = true;
        Assert.Null(await cache.GetAsync("a"));
        await cache.SetAsync("b", Encoding.UTF8.GetBytes("2"), new DistributedCacheEntryOptions());
        cache.Set("c", Encoding.UTF8.GetBytes("3"), new DistributedCacheEntryOptions());
        primary.Down = false;
        Assert.Equal("2", Encoding.UTF8.GetString((await cache.GetAsync("b"))!));
        Assert.Equal("3", Encoding.UTF8.GetString(cache.Get("c")!));
        Assert.True(cache.IsDegraded);
        Assert.Equal(2, (await local.CountAsync()).Entries);
        Assert.Equal("the shared cache at redis:6379/0 is not reachable (TimeoutException); using the local cache for the rest of this run",
            Assert.Single(_warnings));
    }

    [Fact]
    public async Task A_cancelled_call_is_not_a_failure_of_the_primary()
    {
        var primary = new FlakyCache();
        using var local = new SqliteDistributedCache(_dir.Combine("responses.db"), TimeProvider.System);
        var cache = new FailoverDistributedCache(primary, local, "x", _warnings.Add);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetAsync("a", cts.Token));
        Assert.False(cache.IsDegraded);
        Assert.Empty(_warnings);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>An in-memory store that times out while <see cref="Down"/>.</summary>
    private sealed class FlakyCache : IDistributedCache
    {
        private readonly Dictionary<string, byte[]> _values = [];

        public bool Down { get; set; }

        public byte[]? Get(string key) => Check() ? _values.GetValueOrDefault(key) : null;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        {
            token.ThrowIfCancellationRequested();
            return Task.FromResult(Get(key));
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            Check();
            _values[key] = value;
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }

        public void Refresh(string key) => Check();

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromResult(Check());

        public void Remove(string key) => _values.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromResult(Check() && _values.Remove(key));

        private bool Check() => Down ? throw new TimeoutException("redis timed out") : true;
    }
}
