using SpecSynth.Generation;
using SpecSynth.Providers;

namespace SpecSynth.Context.Tokens;

/// <summary>Feeds the usage a reply reported back into the provider's <see cref="CalibratedEstimator"/>, so the next
/// estimate for that model is closer (persisted in the state folder).</summary>
internal static class UsageCalibration
{
    /// <summary>
    /// Calibrates the estimator of the provider and model that answered <paramref name="generated"/> from its prompt and
    /// reported input tokens (uncached + cache write + cache read). Does nothing for exact counters (OpenAI), the mock,
    /// a cache hit (its usage was already observed), a result without its prompt or usage, or when <paramref name="severalCalls"/> says the usage adds up more than
    /// one request (a continued reply). Never throws for state-folder problems.
    /// </summary>
    /// <returns>Whether an observation was recorded.</returns>
    public static bool Observe(string stateDir, GeneratedCode generated, bool severalCalls = false)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var provider = ProviderIds.Normalize(generated.Provider);
        if (severalCalls || generated.CacheHit || generated.Prompt is null || provider is not (ProviderIds.Claude or ProviderIds.Ollama)
            || string.IsNullOrWhiteSpace(generated.Model))
        {
            return false;
        }
        var usage = generated.TokensUsed;
        var reported = usage.InputTokens + usage.CacheWriteTokens + usage.CacheReadTokens;
        if (TokenCounters.For(provider, generated.Model, stateDir) is not CalibratedEstimator estimator)
        {
            return false;
        }
        var estimate = new PromptTokenCounter(estimator).Estimate(generated.Prompt.Messages);
        return estimator.Observe(estimate, reported);
    }
}
