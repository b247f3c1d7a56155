namespace SpecSynth;

/// <summary>Tokens used by one operation, split the way providers bill them.</summary>
/// <param name="InputTokens">Uncached input tokens.</param>
/// <param name="OutputTokens">Output tokens (including reasoning).</param>
/// <param name="CacheWriteTokens">Input tokens written to the provider's prompt cache.</param>
/// <param name="CacheReadTokens">Input tokens read from the provider's prompt cache.</param>
public sealed record TokenUsage(long InputTokens, long OutputTokens, long CacheWriteTokens = 0, long CacheReadTokens = 0)
{
    /// <summary>No tokens.</summary>
    public static TokenUsage Zero { get; } = new(0, 0);

    /// <summary>All tokens, input of every kind plus output.</summary>
    public long Total => InputTokens + OutputTokens + CacheWriteTokens + CacheReadTokens;

    /// <summary>Adds two usages.</summary>
    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens,
            a.CacheWriteTokens + b.CacheWriteTokens, a.CacheReadTokens + b.CacheReadTokens);
}
