using SpecSynth.Middleware;

namespace SpecSynth;

/// <summary>The time limits of one attempt (see <see cref="SpecSynthChatClientBuilderExtensions.UseSpecSynthAttemptTimeout"/>):
/// an attempt over its limit, or a stream silent for too long, is abandoned as a retryable timeout.</summary>
public sealed record AttemptTimeoutOptions
{
    /// <summary>A stream with no update for this long is abandoned (and retried as a whole by the retry layer). Default 60 s.</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest one attempt may take in all (connect to last byte, streamed or not). Default 20 min; at most a day.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(20);

    internal void Validate()
    {
        RetryOptions.Check(StreamIdleTimeout > TimeSpan.Zero, "stream idle timeout must be positive");
        RetryOptions.Check(AttemptTimeout > TimeSpan.Zero && AttemptTimeout <= RetryOptions.MaxAttemptTimeout,
            $"retry attempt_timeout must be more than 0 and at most {RetryOptions.MaxAttemptTimeout.TotalSeconds:0} seconds");
    }
}
