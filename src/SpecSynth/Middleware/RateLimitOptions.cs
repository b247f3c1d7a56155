namespace SpecSynth.Middleware;

/// <summary>
/// Client-side limits of one provider + key: token buckets for requests and tokens per minute. A bucket
/// holds <see cref="BurstSeconds"/> worth of its rate and refills continuously; a request waits until both
/// buckets can pay for it. <c>null</c> limits are not enforced.
/// </summary>
public sealed record RateLimitOptions
{
    /// <summary>Requests per minute, or <c>null</c>.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Input + output tokens per minute, or <c>null</c>.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>Bucket size in seconds of rate (providers enforce per-minute limits over shorter windows). Default 60 (a full minute).</summary>
    public double BurstSeconds { get; init; } = 60;

    /// <summary>Characters per token used to estimate a request's input before sending. Default 4.</summary>
    public double CharsPerToken { get; init; } = 4;

    /// <summary>Whether any limit is set.</summary>
    public bool IsEnabled => RequestsPerMinute is not null || TokensPerMinute is not null;

    internal void Validate()
    {
        RetryOptions.Check(RequestsPerMinute is null or > 0 && TokensPerMinute is null or > 0, "rate limits must be positive");
        RetryOptions.Check(BurstSeconds > 0 && CharsPerToken > 0, "rate limit burst_seconds and chars_per_token must be positive");
    }
}
