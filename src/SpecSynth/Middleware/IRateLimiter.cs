namespace SpecSynth.Middleware;

/// <summary>
/// The request and token buckets of one provider + key, as <see cref="RateLimitChatClient"/> uses them: the
/// process-local <see cref="ProviderRateLimiter"/>, or the Redis limiter of the <c>SpecSynth.Redis</c> package shared by every process using
/// the same Redis.
/// </summary>
internal interface IRateLimiter
{
    /// <summary>The limits it enforces.</summary>
    RateLimitOptions Options { get; }

    /// <summary>Waits until one request costing <paramref name="estimatedTokens"/> may be sent and charges it; returns how long it waited and why.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: with nothing to wait for it can complete at once, without a task per request.</remarks>
    ValueTask<(TimeSpan Waited, string Reason)> AcquireAsync(long estimatedTokens, CancellationToken cancellationToken);

    /// <summary>Corrects the token bucket once the real usage is known (a refund when <paramref name="actual"/> is smaller).</summary>
    void Correct(long estimated, long actual);

    /// <summary>Adapts to what the provider says is left (lowers, never raises).</summary>
    void Adapt(RateLimitHeaders headers);

    /// <summary>The server said "too many requests, wait": nobody sends before then.</summary>
    void PauseFor(TimeSpan wait);
}
