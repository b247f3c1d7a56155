using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Usage;

namespace SpecSynth.Budget;

/// <summary>
/// The worst-case cost of one request at a model's prices, in nano-USD: every prompt token at the dearest input price
/// (uncached, cache write or cache read: the provider decides which applies) plus every allowed output token. A struct: every
/// request prices its worst case, and nothing keeps it past the reservation.
/// </summary>
/// <param name="PromptTokens">The prompt's tokens (counted locally; estimates include their safety margin).</param>
/// <param name="MaxOutputTokens">The request's output cap.</param>
/// <param name="MinOutputTokens">The smallest cap worth sending (at most <paramref name="MaxOutputTokens"/>).</param>
/// <param name="InputNanos">The prompt's worst-case cost.</param>
/// <param name="OutputNanosPerToken">One output token's cost.</param>
internal readonly record struct RequestCost(int PromptTokens, int MaxOutputTokens, int MinOutputTokens, long InputNanos, decimal OutputNanosPerToken)
{
    /// <summary>The worst case with the full output cap.</summary>
    public long Wanted => InputNanos + OutputNanos(MaxOutputTokens);

    /// <summary>The worst case with the smallest output cap.</summary>
    public long Minimum => InputNanos + OutputNanos(MinOutputTokens);

    /// <summary>Prices a request.</summary>
    public static RequestCost Of(int promptTokens, int maxOutputTokens, int minOutputTokens, ModelInfo pricing)
    {
        ArgumentNullException.ThrowIfNull(pricing);
        var inputPerToken = Math.Max(pricing.InputPerMillion, Math.Max(pricing.CacheWritePerMillion, pricing.CacheReadPerMillion)) * 1000m;
        var outputPerToken = pricing.OutputPerMillion * 1000m;
        return new RequestCost(promptTokens, maxOutputTokens, Math.Min(minOutputTokens, maxOutputTokens),
            (long)Math.Ceiling(promptTokens * inputPerToken), outputPerToken);
    }

    /// <summary>The output cap <paramref name="grantedNanos"/> pays for (at most <see cref="MaxOutputTokens"/>).</summary>
    public int OutputCapFor(long grantedNanos)
    {
        if (grantedNanos >= Wanted || OutputNanosPerToken == 0)
        {
            return MaxOutputTokens;
        }
        var affordable = Math.Floor((grantedNanos - InputNanos) / OutputNanosPerToken);
        return (int)Math.Clamp(affordable, 0, MaxOutputTokens);
    }

    /// <summary>The actual cost of a finished request from its reported usage, or <c>null</c> when it reported none.</summary>
    public static long? Actual(UsageDetails? usage, ModelInfo pricing)
    {
        if (usage is null || (usage.InputTokenCount is null && usage.OutputTokenCount is null))
        {
            return null;
        }
        return BudgetMoney.ToNanos(pricing.Cost(UsageMapper.FromUsageDetails(usage)));
    }

    /// <summary>The cost of a stream's reports added up (<see cref="Actual(UsageDetails?, ModelInfo)"/> of their sum);
    /// <c>null</c> when none reported an input or output count.</summary>
    public static long? Actual(in UsageSum usage, ModelInfo pricing) =>
        usage.Counted ? BudgetMoney.ToNanos(pricing.Cost(usage.ToTokenUsage())) : null;

    private long OutputNanos(int tokens) => (long)Math.Ceiling(tokens * OutputNanosPerToken);
}
