namespace SpecSynth.Middleware;

/// <summary>The circuit breaker of one provider: open after consecutive transient failures, one probe after the break.</summary>
public sealed record CircuitBreakerOptions
{
    /// <summary>Consecutive transient failures (calls whose retries were exhausted count once per attempt) that open the circuit. Default 5.</summary>
    public int FailureThreshold { get; init; } = 5;

    /// <summary>How long an open circuit rejects calls before letting one probe through. Default 30 s.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        RetryOptions.Check(FailureThreshold >= 1, "circuit breaker failure_threshold must be at least 1");
        RetryOptions.Check(BreakDuration > TimeSpan.Zero, "circuit breaker break_duration must be positive");
    }
}
