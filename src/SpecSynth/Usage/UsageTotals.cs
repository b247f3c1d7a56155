namespace SpecSynth.Usage;

/// <summary>The totals of a set of ledger rows.</summary>
/// <param name="Key">The group's key (provider, model, day, spec or operation), or <c>null</c> for the overall totals.</param>
/// <param name="Requests">Logical calls.</param>
/// <param name="InputTokens">Uncached input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CacheWriteTokens">Input tokens written to the provider's prompt cache.</param>
/// <param name="CacheReadTokens">Input tokens read from the provider's prompt cache.</param>
/// <param name="CostUsd">List-price cost in USD, rounded to 6 decimals.</param>
/// <param name="CacheHits">Calls the response cache answered.</param>
/// <param name="Errors">Calls that failed (cancelled ones not included).</param>
/// <param name="Cancelled">Calls cancelled or abandoned.</param>
/// <param name="Retries">Times requests were sent again.</param>
public sealed record UsageTotals(string? Key, long Requests, long InputTokens, long OutputTokens, long CacheWriteTokens,
    long CacheReadTokens, decimal CostUsd, long CacheHits, long Errors, long Cancelled, long Retries)
{
    /// <summary>No rows.</summary>
    public static UsageTotals Empty(string? key) => new(key, 0, 0, 0, 0, 0, 0m, 0, 0, 0, 0);
}
