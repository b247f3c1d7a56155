using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// The circuit of one provider + key: closed; open after <see cref="CircuitBreakerOptions.FailureThreshold"/>
/// consecutive transient failures; after <see cref="CircuitBreakerOptions.BreakDuration"/> half-open, letting
/// exactly one probe through (its success closes the circuit, its failure opens it again).
/// </summary>
internal sealed class CircuitState(CircuitBreakerOptions options, TimeProvider time)
{
    private readonly object gate = new();
    private int failures;
    private DateTimeOffset? openUntil;
    private bool probing;

    public CircuitBreakerOptions Options => options;

    /// <summary>Lets a call through (<c>Probe</c> when it is the half-open probe), or returns how long the circuit stays open.</summary>
    public (bool Allowed, bool Probe, TimeSpan OpenFor) TryEnter()
    {
        lock (gate)
        {
            if (openUntil is not { } until)
            {
                return (true, false, TimeSpan.Zero);
            }
            var now = time.GetUtcNow();
            if (now < until || probing)
            {
                return (false, false, until > now ? until - now : TimeSpan.Zero);
            }
            probing = true;
            return (true, true, TimeSpan.Zero);
        }
    }

    /// <summary>The call was answered (success, or a permanent error: the server is up). Returns whether the circuit closed.</summary>
    public bool OnAnswered(bool probe)
    {
        lock (gate)
        {
            failures = 0;
            if (probe)
            {
                probing = false;
            }
            var wasOpen = openUntil is not null;
            if (probe || !probing)
            {
                openUntil = null;
            }
            return wasOpen && openUntil is null;
        }
    }

    /// <summary>A transient failure. Returns whether it opened the circuit.</summary>
    public bool OnTransientFailure(bool probe)
    {
        lock (gate)
        {
            failures++;
            if (probe)
            {
                probing = false;
            }
            if (probe || (openUntil is null && failures >= options.FailureThreshold))
            {
                openUntil = time.GetUtcNow() + options.BreakDuration;
                return true;
            }
            return false;
        }
    }

    /// <summary>The call ended for a reason that says nothing about the provider (caller cancelled).</summary>
    public void OnAbandoned(bool probe)
    {
        if (probe)
        {
            lock (gate)
            {
                probing = false;
            }
        }
    }

    /// <summary>The exception a call gets while the circuit is open: not retryable, so the fallback moves on.</summary>
    public static ProviderException OpenException(string provider, TimeSpan openFor) =>
        new(ErrorKind.ProviderUnavailable, provider,
            $"{provider} is skipped: its circuit breaker is open after repeated failures (next probe in {openFor.TotalSeconds:0.#} s)");
}
