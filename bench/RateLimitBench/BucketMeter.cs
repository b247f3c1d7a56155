namespace RateLimitBench;

/// <summary>A token bucket: holds <c>capacity</c>, refills continuously at limit per minute (how Anthropic and OpenAI
/// document their limits).</summary>
internal sealed class BucketMeter(double perMinute, double burstSeconds) : ILimitMeter
{
    private readonly double rate = perMinute / 60.0;
    private double fullAt;

    public double Limit => perMinute;

    private double Capacity => rate * burstSeconds;

    public double TryCharge(double now, double cost)
    {
        var earliest = Math.Max(fullAt, now) - ((Capacity - Math.Min(cost, Capacity)) / rate);
        if (earliest > now)
        {
            return earliest - now;
        }
        fullAt = Math.Max(fullAt, now) + (cost / rate);
        return 0;
    }

    public void Refund(double chargedAt, double cost) => fullAt -= cost / rate;

    public (long Remaining, double ResetSeconds) Headers(double now)
    {
        var deficit = Math.Max(0, fullAt - now) * rate;
        return ((long)Math.Floor(Capacity - deficit), Math.Max(0, fullAt - now));
    }
}
