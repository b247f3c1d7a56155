namespace SpecSynth.Providers;

/// <summary>What specsynth knows about a model: limits, list prices (USD per million tokens) and API quirks.</summary>
internal sealed record ModelInfo
{
    /// <summary>The model id (the catalog's id; a dated id looked up by prefix keeps the catalog's).</summary>
    public required string Id { get; init; }

    /// <summary>The provider id.</summary>
    public required string Provider { get; init; }

    /// <summary>The context window in tokens (input plus output).</summary>
    public int ContextWindow { get; init; }

    /// <summary>The largest output the model allows.</summary>
    public int MaxOutputTokens { get; init; }

    /// <summary>USD per million uncached input tokens.</summary>
    public decimal InputPerMillion { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public decimal OutputPerMillion { get; init; }

    /// <summary>USD per million tokens written to the prompt cache (Anthropic 5-minute writes; OpenAI: same as input).</summary>
    public decimal CacheWritePerMillion { get; init; }

    /// <summary>USD per million tokens read from the prompt cache.</summary>
    public decimal CacheReadPerMillion { get; init; }

    /// <summary>The API answers 400 to any <c>temperature</c> (OpenAI reasoning models, Claude Opus 4.7 and later).</summary>
    public bool RejectsTemperature { get; init; }

    /// <summary>OpenAI: the model needs <c>max_completion_tokens</c> instead of <c>max_tokens</c>.</summary>
    public bool UsesMaxCompletionTokens { get; init; }

    /// <summary>Claude 4.6 and later: a conversation may not end with an assistant turn.</summary>
    public bool RejectsPrefill { get; init; }

    /// <summary>Whether <c>[models."ID"]</c> in the configuration set or changed these values.</summary>
    public bool FromConfig { get; init; }

    /// <summary><c>false</c> when the model is not in the catalog and these values are conservative guesses.</summary>
    public bool IsKnown { get; init; } = true;

    /// <summary>The list-price cost of <paramref name="usage"/> in USD.</summary>
    public decimal Cost(TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return ((usage.InputTokens * InputPerMillion) + (usage.OutputTokens * OutputPerMillion)
            + (usage.CacheWriteTokens * CacheWritePerMillion) + (usage.CacheReadTokens * CacheReadPerMillion)) / 1_000_000m;
    }
}
