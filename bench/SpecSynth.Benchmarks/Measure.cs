using System.Diagnostics;

namespace SpecSynth.Benchmarks;

/// <summary>Times an action: two warm-up runs, then <c>runs</c> timed runs; median and minimum wall time.</summary>
internal static class Measure
{
    public static object Run(int runs, long bytes, Action action)
    {
        action();
        action();
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        var median = times[times.Count / 2];
        return new
        {
            median_ms = Math.Round(median, 2),
            min_ms = Math.Round(times[0], 2),
            runs,
            mb_per_s = bytes == 0 ? (double?)null : Math.Round(bytes / 1e6 / (median / 1000), 1),
        };
    }
}
