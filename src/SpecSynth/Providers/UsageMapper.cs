using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// Splits <see cref="UsageDetails"/> the way providers bill. The SDK adapters report
/// <see cref="UsageDetails.InputTokenCount"/> as the whole prompt (Anthropic: uncached + cache write +
/// cache read; OpenAI: prompt_tokens including cached), cache reads as
/// <see cref="UsageDetails.CachedInputTokenCount"/>, and Anthropic cache writes as
/// <c>AdditionalCounts["CacheCreationInputTokens"]</c>.
/// </summary>
internal static class UsageMapper
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key the Anthropic adapter uses for cache writes.</summary>
    public const string CacheWriteKey = "CacheCreationInputTokens";

    /// <summary>Converts to <see cref="TokenUsage"/>; <c>null</c> gives <see cref="TokenUsage.Zero"/>.</summary>
    public static TokenUsage FromUsageDetails(UsageDetails? usage)
    {
        if (usage is null)
        {
            return TokenUsage.Zero;
        }
        var cacheRead = usage.CachedInputTokenCount ?? 0;
        var cacheWrite = usage.AdditionalCounts is { } counts && counts.TryGetValue(CacheWriteKey, out var write) ? write : 0;
        var input = Math.Max(0, (usage.InputTokenCount ?? 0) - cacheRead - cacheWrite);
        return new TokenUsage(input, usage.OutputTokenCount ?? 0, cacheWrite, cacheRead);
    }

    /// <summary>The usage of a stream's reports together: what <see cref="FromUsageDetails"/> gives for their sum (a
    /// <see cref="UsageDetails"/> each report is added to, in order, as <c>ToChatResponse</c> does), counted field by
    /// field without building the sum.</summary>
    public static TokenUsage FromReports(IReadOnlyList<UsageContent> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var sum = default(Usage.UsageSum);
        for (var i = 0; i < reports.Count; i++)
        {
            sum.Add(reports[i].Details);
        }
        return sum.ToTokenUsage();
    }

    /// <summary>The usage of a whole response (its <see cref="ChatResponse.Usage"/>).</summary>
    public static TokenUsage FromResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return FromUsageDetails(response.Usage);
    }
}
