namespace RateLimitBench;

/// <summary>What the fake server allows and how it answers.</summary>
/// <param name="RequestsPerMinute">The RPM limit.</param>
/// <param name="TokensPerMinute">The TPM limit (input + output).</param>
/// <param name="Latency">How long each accepted request takes.</param>
/// <param name="OutputShare">The share of max output tokens a reply uses (the rest is refunded).</param>
internal sealed record ServerLimits(int RequestsPerMinute, int TokensPerMinute, TimeSpan Latency, double OutputShare)
{
    public double RequestsPerSecond => RequestsPerMinute / 60.0;

    public double TokensPerSecond => TokensPerMinute / 60.0;
}
