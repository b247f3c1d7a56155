using Microsoft.Extensions.Caching.Distributed;

namespace SpecSynth.Caching;

/// <summary>A response cache shared by every process using it (Redis, from the <c>SpecSynth.Redis</c> package).</summary>
internal interface ISharedResponseCache : IAsyncDisposable
{
    /// <summary>"host:port/db" for messages; never a password.</summary>
    string Display { get; }

    /// <summary>The store the caching middleware uses (before the local fallback).</summary>
    IDistributedCache Cache { get; }

    /// <summary>Counts and clears its entries.</summary>
    ICacheMaintenance Maintenance { get; }

    /// <summary>Whether <paramref name="ex"/> means the server cannot be reached (rather than a bug).</summary>
    bool IsUnreachable(Exception ex);
}
