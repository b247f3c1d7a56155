using SpecSynth.State;
using StackExchange.Redis;

namespace SpecSynth.Caching;

/// <summary>Counts and clears the response cache's keys in Redis (they share <see cref="ResponseCacheStore.RedisPrefix"/>).</summary>
internal sealed class RedisCacheMaintenance(RedisConnection redis) : ICacheMaintenance
{
    public async Task<(long Entries, long Bytes)> CountAsync(CancellationToken cancellationToken = default)
    {
        var (db, keys) = await KeysAsync(cancellationToken).ConfigureAwait(false);
        long bytes = 0;
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bytes += await db.HashStringLengthAsync(key, "data").ConfigureAwait(false);
        }
        return (keys.Count, bytes);
    }

    public async Task<long> ClearAsync(CancellationToken cancellationToken = default)
    {
        var (db, keys) = await KeysAsync(cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? 0 : await db.KeyDeleteAsync([.. keys]).ConfigureAwait(false);
    }

    private async Task<(IDatabase Db, List<RedisKey> Keys)> KeysAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await redis.GetAsync().ConfigureAwait(false);
        var db = multiplexer.GetDatabase();
        var keys = new List<RedisKey>();
        foreach (var server in multiplexer.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(db.Database, ResponseCacheStore.RedisPrefix + "*").WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key);
            }
        }
        if (!multiplexer.IsConnected)
        {
            throw new SpecSynthException(ErrorKind.ProviderUnavailable,
                $"The shared cache at {redis.Display} is not reachable; start Redis or remove [cache] url / [shared] redis.");
        }
        return (db, keys);
    }
}
