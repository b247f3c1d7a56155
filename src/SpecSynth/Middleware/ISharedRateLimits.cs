namespace SpecSynth.Middleware;

/// <summary>Rate-limit buckets shared by every process using them (Redis, from the <c>SpecSynth.Redis</c> package); when
/// the server is lost the limiters fall back to local buckets with one warning.</summary>
internal interface ISharedRateLimits : IDisposable
{
    /// <summary>The server as <c>host:port</c>, for messages.</summary>
    string Endpoint { get; }

    /// <summary>The limiter of one provider + key alias.</summary>
    IRateLimiter Limiter(string key, RateLimitOptions options, TimeProvider time);
}
