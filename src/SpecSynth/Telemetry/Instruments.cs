using System.Diagnostics;

namespace SpecSynth.Telemetry;

/// <summary>
/// specsynth's <see cref="ActivitySource"/> (named by <see cref="SpecSynthTelemetry"/>). Starting a span costs nothing unless
/// a listener (a host's OpenTelemetry, the CLI's exporter) asked for it. The counters are <see cref="Counters"/>, made only
/// when a run first counts something.
/// </summary>
internal static class Instruments
{
    internal static readonly string? Version = typeof(Instruments).Assembly.GetName().Version?.ToString();

    /// <summary>The spans of runs, stages and attempts (the chat spans come from the same name, through MEAI).</summary>
    public static ActivitySource Source { get; } = new(SpecSynthTelemetry.ActivitySourceName, Version);

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
