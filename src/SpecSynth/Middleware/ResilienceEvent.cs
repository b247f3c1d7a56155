namespace SpecSynth.Middleware;

/// <summary>One event seen by a <see cref="RecordingResilienceObserver"/>.</summary>
/// <param name="Kind">retry, rate_limit_wait, stream_restart, circuit_opened, circuit_half_open, circuit_closed, fallback, continuation, key_cool_down, key_rejected.</param>
/// <param name="Provider">The provider concerned (for a fallback: the one skipped).</param>
/// <param name="At">When it happened (the pipeline's clock).</param>
/// <param name="Attempt">The attempt or continuation round, when there is one.</param>
/// <param name="Delay">The wait it starts, when there is one.</param>
/// <param name="Reason">Why (error message, bucket, next provider), when there is one.</param>
public sealed record ResilienceEvent(string Kind, string Provider, DateTimeOffset At, int? Attempt = null,
    TimeSpan? Delay = null, string? Reason = null)
{
    /// <summary>A one-line description for stderr.</summary>
    public override string ToString()
    {
        var text = $"{Kind} {Provider}";
        if (Attempt is { } attempt)
        {
            text += $" #{attempt}";
        }
        if (Delay is { } delay)
        {
            text += $" wait {delay.TotalSeconds:0.###} s";
        }
        return Reason is null ? text : $"{text}: {Reason}";
    }
}
