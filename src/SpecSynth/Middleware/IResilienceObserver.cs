using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// Hears every retry, wait, fallback, circuit change, stream restart and continuation of a
/// <see cref="ResiliencePipeline"/> (e.g. the CLI prints them on stderr and adds them to <c>--json</c>).
/// Called on the calling flow, possibly concurrently from parallel generations: implementations must be thread-safe.
/// Every member has an empty default, so implementations override only what they need.
/// </summary>
public interface IResilienceObserver
{
    /// <summary>Attempt <paramref name="attempt"/> failed transiently; the next starts after <paramref name="delay"/>.</summary>
    void OnRetry(string provider, int attempt, TimeSpan delay, ProviderException reason)
    {
    }

    /// <summary>A request waited <paramref name="delay"/> for the client-side rate limit (reported when it is let through;
    /// <paramref name="reason"/> names the bucket that held it last, or says it queued behind other requests).</summary>
    void OnRateLimitWait(string provider, TimeSpan delay, string reason)
    {
    }

    /// <summary>
    /// A stream failed after updates were already forwarded: everything received so far from this call must be
    /// discarded; the next update carries <see cref="ResiliencePipeline.RestartProperty"/>.
    /// </summary>
    void OnStreamRestart(string provider, int attempt, ProviderException reason)
    {
    }

    /// <summary>The provider's circuit opened for <paramref name="breakDuration"/> after consecutive transient failures.</summary>
    void OnCircuitOpened(string provider, TimeSpan breakDuration, ProviderException reason)
    {
    }

    /// <summary>The break is over: one probe request is let through.</summary>
    void OnCircuitHalfOpen(string provider)
    {
    }

    /// <summary>A call succeeded after the circuit had opened: it is closed again.</summary>
    void OnCircuitClosed(string provider)
    {
    }

    /// <summary><paramref name="skipped"/> could not answer (<paramref name="reason"/>); <paramref name="next"/> is tried.</summary>
    void OnFallback(string skipped, string next, string reason)
    {
    }

    /// <summary>A reply cut at max tokens is continued: round <paramref name="round"/> (1-based) starts.</summary>
    void OnContinuation(string provider, int round)
    {
    }

    /// <summary>The provider rate limited the key named <paramref name="keyAlias"/> (its variable): it is not used for
    /// <paramref name="coolDown"/>; the call goes on with the provider's next key.</summary>
    void OnKeyCoolDown(string provider, string keyAlias, TimeSpan coolDown, ProviderException reason)
    {
    }

    /// <summary>The provider refused the key named <paramref name="keyAlias"/> (401/403/402, quota): it is not used again
    /// this run; the call goes on with the provider's next key.</summary>
    void OnKeyRejected(string provider, string keyAlias, ProviderException reason)
    {
    }
}
