using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using SpecSynth.State;
using StackExchange.Redis;

namespace SpecSynth.Caching;

/// <summary>The response cache in Redis: <see cref="RedisCache"/> under <see cref="ResponseCacheStore.RedisPrefix"/>,
/// on one lazily opened connection (owned, closed on dispose).</summary>
internal sealed class RedisResponseCache : ISharedResponseCache
{
    private readonly RedisConnection _connection;

    public RedisResponseCache(string url)
    {
        _connection = new RedisConnection(url);
        Cache = new RedisCache(new RedisCacheOptions
        {
            InstanceName = ResponseCacheStore.RedisPrefix,
            ConnectionMultiplexerFactory = _connection.GetAsync,
        });
        Maintenance = new RedisCacheMaintenance(_connection);
    }

    public string Display => _connection.Display;

    public IDistributedCache Cache { get; }

    public ICacheMaintenance Maintenance { get; }

    public bool IsUnreachable(Exception ex) => ex is RedisException;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
