namespace SpecSynth.Caching;

/// <summary>How a run uses the response cache.</summary>
public enum CacheMode
{
    /// <summary>Answer from the cache when possible; store complete replies (the default).</summary>
    ReadWrite,

    /// <summary><c>--refresh</c>: always ask the provider, and store the new reply.</summary>
    Refresh,

    /// <summary><c>--no-cache</c> or <c>[cache] enabled = false</c>: neither read nor write.</summary>
    Off,
}
