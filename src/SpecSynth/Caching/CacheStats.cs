namespace SpecSynth.Caching;

/// <summary>What a response cache holds, and how often it answered.</summary>
/// <param name="Backend">Where entries live: <c>sqlite</c> or <c>redis</c>.</param>
/// <param name="Location">The SQLite file, or the Redis endpoint (never its password).</param>
/// <param name="Entries">Live (unexpired) entries.</param>
/// <param name="Bytes">Bytes of their values.</param>
/// <param name="Hits">Lookups answered from the cache (counted in the local state folder).</param>
/// <param name="Misses">Lookups that went to the provider.</param>
public sealed record CacheStats(string Backend, string Location, long Entries, long Bytes, long Hits, long Misses);
