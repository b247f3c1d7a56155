namespace SpecSynth.Caching;

/// <summary>Counting and clearing the entries of a response cache store (what <c>IDistributedCache</c> cannot do).</summary>
internal interface ICacheMaintenance
{
    /// <summary>Live entries and their bytes.</summary>
    Task<(long Entries, long Bytes)> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes every entry; returns how many were removed.</summary>
    Task<long> ClearAsync(CancellationToken cancellationToken = default);
}
