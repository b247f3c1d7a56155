using SpecSynth.Providers;

namespace SpecSynth;

/// <summary>A model's list prices in USD per million tokens, to price the calls the usage ledger records.</summary>
public sealed record TokenPrices
{
    /// <summary>USD per million uncached input tokens.</summary>
    public decimal InputPerMillion { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public decimal OutputPerMillion { get; init; }

    /// <summary>USD per million tokens written to the prompt cache; 0 when the provider does not charge them apart.</summary>
    public decimal CacheWritePerMillion { get; init; }

    /// <summary>USD per million tokens read from the prompt cache.</summary>
    public decimal CacheReadPerMillion { get; init; }

    /// <summary>The list-price cost of <paramref name="usage"/> in USD.</summary>
    /// <param name="usage">The tokens of a call.</param>
    public decimal Cost(TokenUsage usage) => ToModelInfo("host", null).Cost(usage);

    internal ModelInfo ToModelInfo(string provider, string? model) => new()
    {
        Id = model ?? "",
        Provider = provider,
        InputPerMillion = InputPerMillion,
        OutputPerMillion = OutputPerMillion,
        CacheWritePerMillion = CacheWritePerMillion,
        CacheReadPerMillion = CacheReadPerMillion,
    };
}
