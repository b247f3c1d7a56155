namespace SpecSynth.Llm;

/// <summary>The result of <see cref="ICodeGenerator.ExplainImplementationAsync"/>.</summary>
/// <param name="Text">The explanation (markdown).</param>
/// <param name="TokensUsed">Tokens used.</param>
/// <param name="StopReason">Why the model stopped.</param>
public sealed record Explanation(string Text, TokenUsage TokensUsed, string StopReason);
