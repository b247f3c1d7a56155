namespace SpecSynth;

/// <summary>
/// The names under which specsynth reports traces and metrics through <see cref="System.Diagnostics.ActivitySource"/> and
/// <see cref="System.Diagnostics.Metrics.Meter"/> (no OpenTelemetry SDK is referenced by the library). A host with its own
/// OpenTelemetry setup picks them up with <c>.AddSource(SpecSynthTelemetry.ActivitySourceName)</c> and
/// <c>.AddMeter(SpecSynthTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>
/// <para>Spans: one per run (<c>specsynth.generate</c>, <c>specsynth.explain</c>, <c>specsynth.review</c>) with its stages as
/// children (<c>specsynth.parse_spec</c>, <c>specsynth.scan</c>, <c>specsynth.spec</c>, <c>specsynth.rank</c>,
/// <c>specsynth.plan</c>, <c>specsynth.attempt</c> per provider attempt (retries and fallbacks included),
/// <c>specsynth.validate</c>, <c>specsynth.repair</c> per repair round, <c>specsynth.check</c>, <c>specsynth.write</c>), and
/// one <c>chat {model}</c> span per provider call following the OpenTelemetry GenAI semantic conventions
/// (<c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>,
/// <c>gen_ai.usage.*</c>, <c>gen_ai.response.finish_reasons</c>).</para>
/// <para>Metrics: <c>gen_ai.client.token.usage</c> and <c>gen_ai.client.operation.duration</c> (histograms), and
/// specsynth's counters <c>specsynth.requests</c>, <c>specsynth.cost</c> (USD), <c>specsynth.cache.hits</c>,
/// <c>specsynth.retries</c>, <c>specsynth.rate_limited</c> (HTTP 429) and <c>specsynth.fallbacks</c>.</para>
/// <para>Prompts and replies are never recorded unless <c>[telemetry] include_content = true</c>, and then redacted like
/// the audit log; API keys never.</para>
/// </remarks>
public static class SpecSynthTelemetry
{
    /// <summary>The name of specsynth's <see cref="System.Diagnostics.ActivitySource"/>: <c>SpecSynth</c>.</summary>
    public const string ActivitySourceName = "SpecSynth";

    /// <summary>The name of specsynth's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>SpecSynth</c>.</summary>
    public const string MeterName = "SpecSynth";
}
