namespace SpecSynth;

/// <summary>What <see cref="ResponseCacheAdmin.ClearAsync"/> removed.</summary>
/// <param name="Removed">How many cached replies were removed.</param>
/// <param name="Backend">The backend that held them (<c>sqlite</c> or <c>redis</c>).</param>
/// <param name="Location">Where: the database file or the Redis endpoint (credentials masked).</param>
public sealed record CacheCleared(long Removed, string Backend, string Location);
