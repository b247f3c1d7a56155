namespace SpecSynth.Caching;

/// <summary>The <c>[cache]</c> settings (and <c>[shared] redis</c>). Holds no secret other than what the Redis URL
/// may contain, which is never printed.</summary>
public sealed record CacheOptions
{
    /// <summary>The default time to live: 7 days.</summary>
    public static TimeSpan DefaultTtl { get; } = TimeSpan.FromHours(168);

    /// <summary><c>[cache] enabled</c> (default <c>true</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>[cache] ttl_hours</c>: how long a reply is kept.</summary>
    public TimeSpan Ttl { get; init; } = DefaultTtl;

    /// <summary><c>[cache] url</c>: a <c>redis://</c> URL for the cache store, or <c>null</c> (then <c>[shared] redis</c>, else the
    /// local SQLite cache).</summary>
    public string? Url { get; init; }
}
