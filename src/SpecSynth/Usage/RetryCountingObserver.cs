using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Usage;

/// <summary>
/// Forwards every resilience event to <paramref name="inner"/> and counts, for the call running on the flow
/// (<see cref="CallStats.Current"/>), each time the request is sent again: a retry (stream restarts are retries), a
/// rate-limited or refused key replaced by the next, a provider skipped for the next one.
/// </summary>
internal sealed class RetryCountingObserver(IResilienceObserver? inner) : IResilienceObserver
{
    public void OnRetry(string provider, int attempt, TimeSpan delay, ProviderException reason)
    {
        CallStats.Current?.AddRetry();
        inner?.OnRetry(provider, attempt, delay, reason);
    }

    public void OnRateLimitWait(string provider, TimeSpan delay, string reason) => inner?.OnRateLimitWait(provider, delay, reason);

    public void OnStreamRestart(string provider, int attempt, ProviderException reason) => inner?.OnStreamRestart(provider, attempt, reason);

    public void OnCircuitOpened(string provider, TimeSpan breakDuration, ProviderException reason) =>
        inner?.OnCircuitOpened(provider, breakDuration, reason);

    public void OnCircuitHalfOpen(string provider) => inner?.OnCircuitHalfOpen(provider);

    public void OnCircuitClosed(string provider) => inner?.OnCircuitClosed(provider);

    public void OnFallback(string skipped, string next, string reason)
    {
        CallStats.Current?.AddRetry();
        inner?.OnFallback(skipped, next, reason);
    }

    public void OnContinuation(string provider, int round) => inner?.OnContinuation(provider, round);

    public void OnKeyCoolDown(string provider, string keyAlias, TimeSpan coolDown, ProviderException reason)
    {
        CallStats.Current?.AddRetry();
        inner?.OnKeyCoolDown(provider, keyAlias, coolDown, reason);
    }

    public void OnKeyRejected(string provider, string keyAlias, ProviderException reason)
    {
        CallStats.Current?.AddRetry();
        inner?.OnKeyRejected(provider, keyAlias, reason);
    }
}
