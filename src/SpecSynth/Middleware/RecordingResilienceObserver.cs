using System.Collections.Concurrent;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>Keeps every event in order (thread-safe), optionally forwarding each to <paramref name="onEvent"/>.</summary>
internal sealed class RecordingResilienceObserver(TimeProvider time, Action<ResilienceEvent>? onEvent = null) : IResilienceObserver
{
    private readonly ConcurrentQueue<ResilienceEvent> events = new();

    /// <summary>The events so far, in order.</summary>
    public IReadOnlyList<ResilienceEvent> Events => [.. events];

    /// <inheritdoc />
    public void OnRetry(string provider, int attempt, TimeSpan delay, ProviderException reason) =>
        Add(new("retry", provider, time.GetUtcNow(), attempt, delay, reason.Message));

    /// <inheritdoc />
    public void OnRateLimitWait(string provider, TimeSpan delay, string reason) =>
        Add(new("rate_limit_wait", provider, time.GetUtcNow(), Delay: delay, Reason: reason));

    /// <inheritdoc />
    public void OnStreamRestart(string provider, int attempt, ProviderException reason) =>
        Add(new("stream_restart", provider, time.GetUtcNow(), attempt, Reason: reason.Message));

    /// <inheritdoc />
    public void OnCircuitOpened(string provider, TimeSpan breakDuration, ProviderException reason) =>
        Add(new("circuit_opened", provider, time.GetUtcNow(), Delay: breakDuration, Reason: reason.Message));

    /// <inheritdoc />
    public void OnCircuitHalfOpen(string provider) => Add(new("circuit_half_open", provider, time.GetUtcNow()));

    /// <inheritdoc />
    public void OnCircuitClosed(string provider) => Add(new("circuit_closed", provider, time.GetUtcNow()));

    /// <inheritdoc />
    public void OnFallback(string skipped, string next, string reason) =>
        Add(new("fallback", skipped, time.GetUtcNow(), Reason: $"{reason}; trying {next}"));

    /// <inheritdoc />
    public void OnContinuation(string provider, int round) => Add(new("continuation", provider, time.GetUtcNow(), round));

    /// <inheritdoc />
    public void OnKeyCoolDown(string provider, string keyAlias, TimeSpan coolDown, ProviderException reason) =>
        Add(new("key_cool_down", provider, time.GetUtcNow(), Delay: coolDown,
            Reason: $"{keyAlias} is rate limited; using the next key ({reason.Message})"));

    /// <inheritdoc />
    public void OnKeyRejected(string provider, string keyAlias, ProviderException reason) =>
        Add(new("key_rejected", provider, time.GetUtcNow(),
            Reason: $"the key from {keyAlias} was refused; not used again this run ({reason.Message})"));

    private void Add(ResilienceEvent e)
    {
        events.Enqueue(e);
        onEvent?.Invoke(e);
    }
}
