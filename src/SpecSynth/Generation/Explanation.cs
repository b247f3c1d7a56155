namespace SpecSynth.Generation;

/// <summary>The result of <see cref="ICodeGenerator.ExplainImplementationAsync"/>.</summary>
/// <param name="Text">The explanation (markdown).</param>
/// <param name="TokensUsed">Tokens used.</param>
/// <param name="StopReason">Why the model stopped.</param>
internal sealed record Explanation(string Text, TokenUsage TokensUsed, string StopReason)
{
    /// <summary>The provider that answered.</summary>
    public string Provider { get; init; } = "";

    /// <summary>The model that answered, when it said.</summary>
    public string Model { get; init; } = "";

    /// <summary>Whether the reply came from the response cache (no provider request, no cost).</summary>
    public bool CacheHit { get; init; }
}
