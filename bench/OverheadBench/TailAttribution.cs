using System.Diagnostics;
using System.Diagnostics.Tracing;
using SpecSynth.State;

namespace OverheadBench;

/// <summary>
/// <c>--tail</c> (issue 19: where the c=16 p99 comes from): records the intervals of the state's background work
/// (<see cref="BackgroundWork"/>: the response cache's staged commits, log checkpoints, the ledger's and audit log's group
/// commits) and the runtime's GC pauses (suspension to restart, from its GC events), then tells, for the full client's
/// measured requests, which share of the slowest 1 % overlapped each kind of work and by how much, beside the same figures
/// for all requests (what chance alone gives). Timestamps are <see cref="Stopwatch"/>'s.
/// </summary>
internal sealed class TailAttribution : GcEventListener
{
    private const string GcPause = "gc-pause";
    private readonly List<(string Kind, long Start, long End)> _intervals = [];
    private readonly Lock _gate = new();
    private long _suspended;

    public TailAttribution() => BackgroundWork.Observer = Add;

    public override void Dispose()
    {
        BackgroundWork.Observer = null;
        base.Dispose();
    }

    /// <summary>Forgets what was recorded (the warm-up's intervals).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _intervals.Clear();
        }
    }

    private void Add(string kind, long start, long end)
    {
        lock (_gate)
        {
            _intervals.Add((kind, start, end));
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        var at = At(e);
        switch (e.EventName)
        {
            case "GCSuspendEEBegin_V1":
                _suspended = at;
                break;
            case "GCRestartEEEnd_V1" when _suspended != 0:
                Add(GcPause, _suspended, at);
                _suspended = 0;
                break;
        }
    }

    /// <summary>The report over <paramref name="requests"/> (start and end timestamps of each measured request).</summary>
    public object Report(IReadOnlyList<(long Start, long End)> requests)
    {
        List<(string Kind, long Start, long End)> intervals;
        lock (_gate)
        {
            intervals = [.. _intervals];
        }
        if (requests.Count == 0)
        {
            return new { };
        }
        var window = (requests.Min(r => r.Start), requests.Max(r => r.End));
        var windowMs = Ms(window.Item2 - window.Item1);
        var byKind = intervals.GroupBy(i => i.Kind).ToDictionary(g => g.Key, g => g.OrderBy(i => i.Start).ToList());
        var ordered = requests.OrderByDescending(r => r.End - r.Start).ToList();
        var slow = ordered.Take(Math.Max(1, requests.Count / 100)).ToList();
        var kinds = new Dictionary<string, object>();
        foreach (var (kind, list) in byKind.OrderBy(k => k.Key))
        {
            var inWindow = list.Where(i => i.End > window.Item1 && i.Start < window.Item2).ToList();
            var durations = inWindow.Select(i => Ms(i.End - i.Start)).Order().ToList();
            var longest = list.Count == 0 ? 0 : list.Max(i => i.End - i.Start);
            kinds[kind] = new
            {
                count = inWindow.Count,
                per_s = R(inWindow.Count / windowMs * 1000),
                busy_share = R(durations.Sum() / windowMs),
                ms = new { p50 = R(Pct(durations, 50)), p99 = R(Pct(durations, 99)), max = R(durations.LastOrDefault()) },
                slowest_1pct = Overlaps(slow, list, longest),
                all = Overlaps(requests, list, longest),
            };
        }
        var every = intervals.OrderBy(i => i.Start).ToList();
        var longestAny = every.Count == 0 ? 0 : every.Max(i => i.End - i.Start);
        return new
        {
            requests = requests.Count,
            slowest = slow.Count,
            slowest_from_ms = R(Ms(slow[^1].End - slow[^1].Start)),
            any = new { slowest_1pct = Overlaps(slow, every, longestAny), all = Overlaps(requests, every, longestAny) },
            kinds,
        };
    }

    /// <summary>Which share of <paramref name="requests"/> overlapped an interval of <paramref name="sorted"/> (by start),
    /// and the mean time each spent overlapped (ms, intervals merged per request by sum: they rarely overlap each other).</summary>
    private static object Overlaps(IReadOnlyList<(long Start, long End)> requests, List<(string Kind, long Start, long End)> sorted, long longest)
    {
        var (hit, overlapMs) = (0, 0.0);
        foreach (var (start, end) in requests)
        {
            var first = LowerBound(sorted, start - longest);
            var any = false;
            for (var i = first; i < sorted.Count && sorted[i].Start < end; i++)
            {
                var (s, e) = (Math.Max(start, sorted[i].Start), Math.Min(end, sorted[i].End));
                if (e > s)
                {
                    any = true;
                    overlapMs += Ms(e - s);
                }
            }
            hit += any ? 1 : 0;
        }
        return new { share = R((double)hit / requests.Count), mean_overlap_ms = R(overlapMs / requests.Count) };
    }

    private static int LowerBound(List<(string Kind, long Start, long End)> sorted, long start)
    {
        var (lo, hi) = (0, sorted.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid].Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static double Pct(List<double> sorted, int p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double R(double value) => Math.Round(value, 3);
}
