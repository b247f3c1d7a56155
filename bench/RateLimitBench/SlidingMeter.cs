namespace RateLimitBench;

/// <summary>A sliding window: at most limit per minute within any <c>window</c> seconds; reset = when the window is
/// empty again.</summary>
internal sealed class SlidingMeter(double perMinute, double windowSeconds) : ILimitMeter
{
    private readonly List<(double At, double Cost)> entries = [];
    private readonly double limit = perMinute * windowSeconds / 60.0;

    public double Limit => perMinute;

    public double TryCharge(double now, double cost)
    {
        entries.RemoveAll(e => e.At <= now - windowSeconds);
        var used = entries.Sum(e => e.Cost);
        if (used + cost <= limit)
        {
            entries.Add((now, cost));
            return 0;
        }
        var freed = 0.0;
        foreach (var (at, c) in entries)
        {
            freed += c;
            if (used - freed + cost <= limit)
            {
                return at + windowSeconds - now;
            }
        }
        return windowSeconds;
    }

    public void Refund(double chargedAt, double cost)
    {
        var index = entries.FindIndex(e => e.At == chargedAt);
        if (index >= 0)
        {
            entries[index] = (chargedAt, Math.Max(0, entries[index].Cost - cost));
        }
    }

    public (long Remaining, double ResetSeconds) Headers(double now)
    {
        entries.RemoveAll(e => e.At <= now - windowSeconds);
        var used = entries.Sum(e => e.Cost);
        var reset = entries.Count == 0 ? 0 : entries.Max(e => e.At) + windowSeconds - now;
        return ((long)Math.Floor(limit - used), reset);
    }
}
