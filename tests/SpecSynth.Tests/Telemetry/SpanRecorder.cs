using System.Collections.Concurrent;
using System.Diagnostics;

namespace SpecSynth.Tests.Telemetry;

/// <summary>A test's listener that records every span of the named sources as it stops (dispose it to stop listening).</summary>
internal static class SpanRecorder
{
    public static ActivityListener Listen(ConcurrentQueue<Activity> spans, params string[] sourceNames)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => sourceNames.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
