using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SpecSynth.Telemetry;

/// <summary>
/// specsynth's <see cref="ActivitySource"/> and <see cref="Meter"/> (named by <see cref="SpecSynthTelemetry"/>) and its own
/// counters. Starting a span costs nothing unless a listener (a host's OpenTelemetry, the CLI's exporter) asked for it.
/// </summary>
internal static class Instruments
{
    private static readonly string? Version = typeof(Instruments).Assembly.GetName().Version?.ToString();

    /// <summary>The spans of runs, stages and attempts (the chat spans come from the same name, through MEAI).</summary>
    public static ActivitySource Source { get; } = new(SpecSynthTelemetry.ActivitySourceName, Version);

    /// <summary>specsynth's own counters (the GenAI histograms come from the same name, through MEAI).</summary>
    public static Meter Meter { get; } = new(SpecSynthTelemetry.MeterName, Version);

    /// <summary>Logical model requests (cache hits included), by provider, model, operation and outcome.</summary>
    public static Counter<long> Requests { get; } = Meter.CreateCounter<long>("specsynth.requests", "{request}",
        "Logical model requests, cache hits included.");

    /// <summary>The estimated cost of the requests in US dollars.</summary>
    public static Counter<double> Cost { get; } = Meter.CreateCounter<double>("specsynth.cost", "USD",
        "Estimated cost of the model requests at the catalog's prices.");

    /// <summary>Requests answered from the response cache.</summary>
    public static Counter<long> CacheHits { get; } = Meter.CreateCounter<long>("specsynth.cache.hits", "{request}",
        "Requests answered from the response cache.");

    /// <summary>Retried provider attempts (429s included).</summary>
    public static Counter<long> Retries { get; } = Meter.CreateCounter<long>("specsynth.retries", "{retry}",
        "Provider attempts retried after a retryable failure.");

    /// <summary>Provider answers with HTTP 429 (rate limited).</summary>
    public static Counter<long> RateLimited { get; } = Meter.CreateCounter<long>("specsynth.rate_limited", "{response}",
        "Provider answers with HTTP 429 (too many requests).");

    /// <summary>Requests passed on to the next provider of the chain.</summary>
    public static Counter<long> Fallbacks { get; } = Meter.CreateCounter<long>("specsynth.fallbacks", "{fallback}",
        "Requests passed on to the next provider of the chain.");

    /// <summary>Starts an internal span named <paramref name="name"/> under the current one; <c>null</c> when nobody listens.</summary>
    public static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="exception"/>'s type (never its message, which may
    /// quote a reply), as <c>error.type</c>.</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }
        var type = exception is SpecSynthException s ? s.Kind.ToString() : exception.GetType().Name;
        activity.SetStatus(ActivityStatusCode.Error, type);
        activity.SetTag("error.type", type);
    }
}
