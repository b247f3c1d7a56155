using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SpecSynth.Middleware;
using SpecSynth.Projects;
using SpecSynth.Providers;

namespace SpecSynth.Telemetry;

/// <summary>
/// Hears the pipeline's resilience events for telemetry: counts retries, 429s and fallbacks
/// (<see cref="Counters"/>), adds them as events to the current span, and logs them under <c>SpecSynth.Pipeline</c> (the
/// reasons redacted), then forwards each to <paramref name="inner"/>.
/// </summary>
internal sealed class TelemetryObserver(IResilienceObserver? inner, ILogger logger) : IResilienceObserver
{
    public void OnRetry(string provider, int attempt, TimeSpan delay, ProviderException reason)
    {
        var tags = new TagList { { "specsynth.provider", provider }, { "error.type", Status(reason) } };
        Counters.Retries.Add(1, tags);
        RateLimited(provider, reason);
        Event("retry", provider, reason);
        Log.Retrying(logger, provider, attempt + 1, delay.TotalMilliseconds, Reason(reason));
        inner?.OnRetry(provider, attempt, delay, reason);
    }

    public void OnRateLimitWait(string provider, TimeSpan delay, string reason)
    {
        // Raised for every request let through (its wait may be a few ticks): the reason is redacted only for a log line.
        if (logger.IsEnabled(LogLevel.Information))
        {
            Log.RateLimitWait(logger, provider, delay.TotalMilliseconds, SecretRedactor.Redact(reason));
        }
        inner?.OnRateLimitWait(provider, delay, reason);
    }

    public void OnStreamRestart(string provider, int attempt, ProviderException reason)
    {
        Event("stream_restart", provider, reason);
        Log.StreamRestart(logger, provider, attempt + 1, Reason(reason));
        inner?.OnStreamRestart(provider, attempt, reason);
    }

    public void OnCircuitOpened(string provider, TimeSpan breakDuration, ProviderException reason)
    {
        Log.CircuitOpened(logger, provider, breakDuration.TotalMilliseconds, Reason(reason));
        inner?.OnCircuitOpened(provider, breakDuration, reason);
    }

    public void OnCircuitHalfOpen(string provider)
    {
        Log.CircuitState(logger, provider, "half-open");
        inner?.OnCircuitHalfOpen(provider);
    }

    public void OnCircuitClosed(string provider)
    {
        Log.CircuitState(logger, provider, "closed");
        inner?.OnCircuitClosed(provider);
    }

    public void OnFallback(string skipped, string next, string reason)
    {
        Counters.Fallbacks.Add(1, new TagList { { "specsynth.provider", skipped }, { "specsynth.next_provider", next } });
        Activity.Current?.AddEvent(new ActivityEvent("fallback", tags: new ActivityTagsCollection
        {
            { "specsynth.provider", skipped },
            { "specsynth.next_provider", next },
        }));
        Log.Fallback(logger, skipped, next, SecretRedactor.Redact(reason));
        inner?.OnFallback(skipped, next, reason);
    }

    public void OnContinuation(string provider, int round)
    {
        Log.Continuation(logger, provider, round);
        inner?.OnContinuation(provider, round);
    }

    public void OnKeyCoolDown(string provider, string keyAlias, TimeSpan coolDown, ProviderException reason)
    {
        RateLimited(provider, reason);
        Log.KeyEvent(logger, provider, keyAlias, "cooling down", Reason(reason));
        inner?.OnKeyCoolDown(provider, keyAlias, coolDown, reason);
    }

    public void OnKeyRejected(string provider, string keyAlias, ProviderException reason)
    {
        Log.KeyEvent(logger, provider, keyAlias, "rejected", Reason(reason));
        inner?.OnKeyRejected(provider, keyAlias, reason);
    }

    private static void RateLimited(string provider, ProviderException reason)
    {
        if (reason.StatusCode == 429)
        {
            Counters.RateLimited.Add(1, new TagList { { "specsynth.provider", provider } });
        }
    }

    private static void Event(string name, string provider, ProviderException reason) =>
        Activity.Current?.AddEvent(new ActivityEvent(name, tags: new ActivityTagsCollection
        {
            { "specsynth.provider", provider },
            { "error.type", Status(reason) },
        }));

    private static string Status(ProviderException reason) =>
        reason.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? reason.Kind.ToString();

    private static string Reason(ProviderException reason) => SecretRedactor.Redact(reason.Message);
}
