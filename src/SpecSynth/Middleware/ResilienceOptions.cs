namespace SpecSynth.Middleware;

/// <summary>All resilience settings; validated once by <see cref="ResiliencePipeline.Build"/>.</summary>
public sealed record ResilienceOptions
{
    /// <summary>Retries per provider.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>The circuit breaker per provider.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; init; } = new();

    /// <summary>Continuation of replies cut at max tokens.</summary>
    public ContinuationOptions Continuation { get; init; } = new();

    /// <summary>A stream with no update for this long is abandoned and retried as a whole. Default 60 s.</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a key answered with 429 and no retry-after is left out when the provider has other keys. Default 60 s.</summary>
    public TimeSpan KeyCoolDown { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        Retry.Validate();
        CircuitBreaker.Validate();
        Continuation.Validate();
        RetryOptions.Check(StreamIdleTimeout > TimeSpan.Zero, "stream idle timeout must be positive");
        RetryOptions.Check(KeyCoolDown > TimeSpan.Zero, "key cool-down must be positive");
    }
}
