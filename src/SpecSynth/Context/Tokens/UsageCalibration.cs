using SpecSynth.Providers;

namespace SpecSynth.Context.Tokens;

/// <summary>Feeds the usage a reply reported back into the provider's <see cref="CalibratedEstimator"/>, so the next
/// estimate for that model is closer (persisted in the state folder).</summary>
internal static class UsageCalibration
{
    /// <summary>
    /// Calibrates the estimator of <paramref name="provider"/>'s <paramref name="model"/> from the <paramref name="prompt"/> it answered and its
    /// reported input tokens (uncached + cache write + cache read). Does nothing for exact counters (OpenAI), the mock,
    /// a cache hit (its usage was already observed), a result without its prompt or usage, or when <paramref name="severalCalls"/> says the usage adds up more than
    /// one request (a continued reply). Never throws for state-folder problems.
    /// </summary>
    /// <returns>Whether an observation was recorded.</returns>
    /// <param name="stateDir">The state folder holding the calibration.</param>
    /// <param name="provider">The provider that answered.</param>
    /// <param name="model">The model that answered.</param>
    /// <param name="prompt">The prompt it answered, or <c>null</c> when unknown.</param>
    /// <param name="usage">The usage it reported.</param>
    /// <param name="cacheHit">Whether the reply came from the response cache.</param>
    /// <param name="severalCalls">Whether the usage adds up more than one request.</param>
    public static bool Observe(string stateDir, string provider, string? model, Prompting.ChatPrompt? prompt, TokenUsage usage, bool cacheHit,
        bool severalCalls = false)
    {
        var normalized = ProviderIds.Normalize(provider);
        if (severalCalls || cacheHit || prompt is null || normalized is not (ProviderIds.Claude or ProviderIds.Ollama)
            || string.IsNullOrWhiteSpace(model))
        {
            return false;
        }
        provider = normalized;
        var reported = usage.InputTokens + usage.CacheWriteTokens + usage.CacheReadTokens;
        if (TokenCounters.For(provider, model, stateDir) is not CalibratedEstimator estimator)
        {
            return false;
        }
        var estimate = new PromptTokenCounter(estimator).Estimate(prompt.Messages);
        return estimator.Observe(estimate, reported);
    }
}
