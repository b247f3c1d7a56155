namespace SpecSynth.Providers;

/// <summary>
/// The built-in model table. Prices are list prices in USD per million tokens as last known
/// (November 2026); they change, so treat cost figures as estimates.
/// </summary>
internal static class ModelCatalogData
{
    /// <summary>When the built-in prices and limits were last compared with the providers' published price and model pages.</summary>
    public const string PricesChecked = "2026-11";

    public static IEnumerable<ModelInfo> All()
    {
        // Claude: input, output, 5-minute cache write (1.25x input), cache read (0.1x input).
        yield return Claude("claude-opus-5-5", 1_000_000, 128_000, 5m, 25m, newer: true);
        yield return Claude("claude-opus-5", 1_000_000, 128_000, 5m, 25m, newer: true);
        yield return Claude("claude-sonnet-5", 1_000_000, 128_000, 3m, 15m, newer: true);
        yield return Claude("claude-opus-4-8", 1_000_000, 128_000, 5m, 25m, newer: true);
        yield return Claude("claude-opus-4-7", 1_000_000, 128_000, 5m, 25m, newer: true);
        yield return Claude("claude-opus-4-6", 1_000_000, 128_000, 5m, 25m, prefill: false);
        yield return Claude("claude-sonnet-4-6", 1_000_000, 64_000, 3m, 15m, prefill: false);
        yield return Claude("claude-opus-4-5", 200_000, 64_000, 5m, 25m);
        yield return Claude("claude-sonnet-4-5", 200_000, 64_000, 3m, 15m);
        yield return Claude("claude-haiku-4-5", 200_000, 64_000, 1m, 5m);
        yield return Claude("claude-opus-4-1", 200_000, 32_000, 15m, 75m);
        yield return Claude("claude-opus-4-0", 200_000, 32_000, 15m, 75m);
        yield return Claude("claude-opus-4", 200_000, 32_000, 15m, 75m);
        yield return Claude("claude-sonnet-4-0", 200_000, 64_000, 3m, 15m);
        yield return Claude("claude-sonnet-4", 200_000, 64_000, 3m, 15m);
        yield return Claude("claude-3-7-sonnet", 200_000, 64_000, 3m, 15m);
        yield return Claude("claude-3-5-haiku", 200_000, 8_192, 0.8m, 4m);

        // OpenAI: input, output, cached input. Cache writes cost the normal input price.
        yield return OpenAI("gpt-5.1", 400_000, 128_000, 1.25m, 10m, 0.125m, reasoning: true);
        yield return OpenAI("gpt-5", 400_000, 128_000, 1.25m, 10m, 0.125m, reasoning: true);
        yield return OpenAI("gpt-5-mini", 400_000, 128_000, 0.25m, 2m, 0.025m, reasoning: true);
        yield return OpenAI("gpt-5-nano", 400_000, 128_000, 0.05m, 0.4m, 0.005m, reasoning: true);
        yield return OpenAI("gpt-4.1", 1_047_576, 32_768, 2m, 8m, 0.5m);
        yield return OpenAI("gpt-4.1-mini", 1_047_576, 32_768, 0.4m, 1.6m, 0.1m);
        yield return OpenAI("gpt-4.1-nano", 1_047_576, 32_768, 0.1m, 0.4m, 0.025m);
        yield return OpenAI("gpt-4o", 128_000, 16_384, 2.5m, 10m, 1.25m);
        yield return OpenAI("gpt-4o-mini", 128_000, 16_384, 0.15m, 0.6m, 0.075m);
        yield return OpenAI("o4-mini", 200_000, 100_000, 1.1m, 4.4m, 0.275m, reasoning: true);
        yield return OpenAI("o3", 200_000, 100_000, 2m, 8m, 0.5m, reasoning: true);
        yield return OpenAI("o3-mini", 200_000, 100_000, 1.1m, 4.4m, 0.55m, reasoning: true);
        yield return OpenAI("o1", 200_000, 100_000, 15m, 60m, 7.5m, reasoning: true);
    }

    private static ModelInfo Claude(string id, int context, int maxOut, decimal input, decimal output,
        bool newer = false, bool prefill = true) => new()
        {
            Id = id,
            Provider = ProviderIds.Claude,
            ContextWindow = context,
            MaxOutputTokens = maxOut,
            InputPerMillion = input,
            OutputPerMillion = output,
            CacheWritePerMillion = input * 1.25m,
            CacheReadPerMillion = input * 0.1m,
            RejectsTemperature = newer,
            RejectsPrefill = newer || !prefill,
        };

    private static ModelInfo OpenAI(string id, int context, int maxOut, decimal input, decimal output, decimal cached,
        bool reasoning = false) => new()
        {
            Id = id,
            Provider = ProviderIds.OpenAI,
            ContextWindow = context,
            MaxOutputTokens = maxOut,
            InputPerMillion = input,
            OutputPerMillion = output,
            CacheWritePerMillion = input,
            CacheReadPerMillion = cached,
            RejectsTemperature = reasoning,
            UsesMaxCompletionTokens = reasoning,
        };
}
