namespace RateLimitBench;

/// <summary>What the fake server allows and how it answers.</summary>
/// <param name="RequestsPerMinute">The RPM limit.</param>
/// <param name="TokensPerMinute">The TPM limit (input + output).</param>
/// <param name="Latency">How long each accepted request takes.</param>
/// <param name="OutputShare">The share of max output tokens a reply uses (the rest is refunded).</param>
internal sealed record ServerLimits(int RequestsPerMinute, int TokensPerMinute, TimeSpan Latency, double OutputShare)
{
    /// <summary><c>bucket</c> (token buckets of <see cref="BurstSeconds"/>, continuous refill) or <c>sliding</c> (a
    /// sliding window of <see cref="WindowSeconds"/>).</summary>
    public string Kind { get; init; } = "bucket";

    /// <summary>Bucket size in seconds of rate.</summary>
    public double BurstSeconds { get; init; } = 1;

    /// <summary>The sliding window in seconds.</summary>
    public double WindowSeconds { get; init; } = 60;

    /// <summary>Whether every reply carries x-ratelimit-limit/remaining/reset-requests|tokens.</summary>
    public bool SendHeaders { get; init; }

    public double RequestsPerSecond => RequestsPerMinute / 60.0;

    public double TokensPerSecond => TokensPerMinute / 60.0;

    public ILimitMeter Meter(double perMinute) =>
        Kind == "sliding" ? new SlidingMeter(perMinute, WindowSeconds) : new BucketMeter(perMinute, BurstSeconds);
}
