using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace OverheadBench;

/// <summary>
/// <c>--survival</c> (issue 19: what the pipeline keeps alive across a gen0 collection): records every GC's generation
/// and promoted bytes (the runtime's <c>GCStart_V2</c> and <c>GCHeapStats_V2</c> events) with its start time, and sums them over time ranges (the bare and full clients' measured blocks), so the report can give bytes promoted
/// out of gen0 per gen0 collection and per request for each client: a request's state that outlives a collection is
/// copied by it (a longer pause for all in-flight requests) and ages toward gen1 and gen2. Timestamps are
/// <see cref="Stopwatch"/>'s. The runtime delivers the events a little later: wait before reading a range.
/// </summary>
internal sealed class GcSurvival : GcEventListener
{
    private readonly List<Collection> _collections = [];
    private readonly Lock _gate = new();
    private (long At, int Depth) _started;

    /// <summary>One collection: when it started, its generation, bytes promoted out of gen0 and out of gen1.</summary>
    private readonly record struct Collection(long At, int Depth, long Promoted0, long Promoted1);

    /// <summary>Sums over one range: collections by generation, bytes promoted out of gen0 and out of gen1.</summary>
    public readonly record struct Totals(int Gen0, int Gen1, int Gen2, long Promoted0, long Promoted1)
    {
        public static Totals operator +(Totals a, Totals b) => new(a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2,
            a.Promoted0 + b.Promoted0, a.Promoted1 + b.Promoted1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        var at = At(e);
        switch (e.EventName)
        {
            case "GCStart_V2":
                _started = (at, Convert.ToInt32(e.Payload![e.PayloadNames!.IndexOf("Depth")], System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "GCHeapStats_V2" when _started.At != 0:
                var promoted0 = Convert.ToInt64(e.Payload![e.PayloadNames!.IndexOf("TotalPromotedSize0")], System.Globalization.CultureInfo.InvariantCulture);
                var promoted1 = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("TotalPromotedSize1")], System.Globalization.CultureInfo.InvariantCulture);
                lock (_gate)
                {
                    _collections.Add(new(_started.At, _started.Depth, promoted0, promoted1));
                }
                _started = default;
                break;
        }
    }

    /// <summary>The collections that started within [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public Totals Between(long start, long end)
    {
        lock (_gate)
        {
            var totals = default(Totals);
            foreach (var c in _collections)
            {
                if (c.At >= start && c.At < end)
                {
                    totals += new Totals(c.Depth == 0 ? 1 : 0, c.Depth == 1 ? 1 : 0, c.Depth >= 2 ? 1 : 0, c.Promoted0, c.Promoted1);
                }
            }
            return totals;
        }
    }

    /// <summary>The report of one client's totals over <paramref name="requests"/> requests.</summary>
    public static object Report(Totals t, double requests) => new
    {
        gen0 = t.Gen0,
        gen1 = t.Gen1,
        gen2 = t.Gen2,
        promoted0_kb_per_gc = Math.Round(t.Promoted0 / 1024.0 / Math.Max(1, t.Gen0 + t.Gen1 + t.Gen2), 1),
        promoted0_b_per_request = Math.Round(t.Promoted0 / requests, 1),
        promoted1_b_per_request = Math.Round(t.Promoted1 / requests, 1),
    };
}
