using System.Diagnostics.Metrics;

namespace SpecSynth.Telemetry;

/// <summary>
/// specsynth's <see cref="Meter"/> (named by <see cref="SpecSynthTelemetry"/>) and its own counters. Apart from
/// <see cref="Instruments"/> so that a run that only starts spans (a <c>context</c> run, <c>index</c>) does not make the
/// meter and its six counters: their generic set-up over <see langword="long"/> and <see langword="double"/> is compiled by
/// the JIT (about 20 methods) in every process that makes them. A listener (a host's OpenTelemetry, the CLI's exporter)
/// hears of them when they are made, whenever that is.
/// </summary>
internal static class Counters
{
    /// <summary>specsynth's own counters (the GenAI histograms come from the same name, through MEAI).</summary>
    public static Meter Meter { get; } = new(SpecSynthTelemetry.MeterName, Instruments.Version);

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
}
