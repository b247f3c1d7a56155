using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace OverheadBench;

/// <summary>
/// Which types the requests allocate (<c>--alloc-types</c>): listens to the runtime's <c>GCAllocationTick</c> events (one
/// per ~100 KB allocated, naming the type of the object that crossed the mark, with the bytes since the last tick) and
/// sums the bytes per type name while <see cref="Counting"/> is on. A sample, not an exact count: a type's share of the
/// ticks estimates its share of the bytes.
/// </summary>
internal sealed class AllocationCensus : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    /// <summary>Whether ticks are counted now.</summary>
    public volatile bool Counting;

    /// <summary>Forgets what was counted.</summary>
    public void Reset() => _bytes.Clear();

    /// <summary>The bytes attributed to each type name, largest first.</summary>
    public IEnumerable<KeyValuePair<string, long>> Largest(int count) =>
        _bytes.OrderByDescending(p => p.Value).Take(count);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Counting || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
        {
            return;
        }
        var name = eventData.PayloadNames.IndexOf("TypeName");
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (name < 0 || amount < 0 || eventData.Payload?[name] is not string type)
        {
            return;
        }
        var bytes = Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, bytes, (_, total) => total + bytes);
    }
}
