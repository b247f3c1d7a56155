using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace OverheadBench;

/// <summary>
/// An in-process listener of the runtime's GC events (keyword 0x1, informational) whose events are placed on
/// <see cref="Stopwatch"/>'s clock (<see cref="At"/>), the clock the bench times its requests with: the base of
/// <c>--tail</c> (<see cref="TailAttribution"/>) and <c>--survival</c> (<see cref="GcSurvival"/>).
/// </summary>
internal abstract class GcEventListener : EventListener
{
    private readonly DateTime _baseUtc = DateTime.UtcNow;
    private readonly long _baseTimestamp = Stopwatch.GetTimestamp();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // GC
        }
    }

    /// <summary>When <paramref name="e"/> happened, as a <see cref="Stopwatch"/> timestamp.</summary>
    protected long At(EventWrittenEventArgs e) =>
        _baseTimestamp + ((e.TimeStamp.ToUniversalTime() - _baseUtc).Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
}
