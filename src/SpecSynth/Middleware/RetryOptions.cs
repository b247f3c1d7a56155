namespace SpecSynth.Middleware;

/// <summary>
/// Retries of one provider: exponential backoff with full jitter, never earlier than the server asked.
/// The delay before attempt n+1 is <c>max(server's retry-after, random(0, min(MaxDelay, InitialDelay * ExponentialBase^(n-1))))</c>.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first included. Default 4; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The backoff before the second attempt. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of our own backoff (not of the server's retry-after). Default 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The growth factor of the backoff. Default 2.</summary>
    public double ExponentialBase { get; init; } = 2;

    /// <summary>A server asking to wait longer than this is not waited for: the provider counts as failed. Default 5 min.</summary>
    public TimeSpan MaxServerDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest one attempt may take in all (connect to last byte, streamed or not); longer is abandoned and
    /// retried. Default 20 min; at most a day.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Whether the backoff is randomised in [0, backoff] (full jitter). Default <c>true</c>.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>The largest <see cref="AttemptTimeout"/> accepted: a day.</summary>
    public static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromDays(1);

    internal void Validate()
    {
        Check(MaxAttempts >= 1, "retry max_attempts must be at least 1");
        Check(InitialDelay >= TimeSpan.Zero && MaxDelay >= InitialDelay, "retry delays must satisfy 0 <= initial_delay <= max_delay");
        Check(ExponentialBase >= 1, "retry exponential_base must be at least 1");
        Check(MaxServerDelay >= TimeSpan.Zero, "retry max_server_delay must not be negative");
        Check(AttemptTimeout > TimeSpan.Zero && AttemptTimeout <= MaxAttemptTimeout,
            $"retry attempt_timeout must be more than 0 and at most {MaxAttemptTimeout.TotalSeconds:0} seconds");
    }

    internal static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, message);
        }
    }
}
