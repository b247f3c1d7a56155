namespace SpecSynth.Context.Tokens;

/// <summary>The tokens of a whole prompt.</summary>
/// <param name="Tokens">The count (an estimate includes its safety margin).</param>
/// <param name="IsExact">Whether it came from a tokenizer or the provider's counting endpoint.</param>
/// <param name="Estimate">The local count, also when <paramref name="Tokens"/> came from the provider.</param>
internal sealed record PromptTokenCount(int Tokens, bool IsExact, int Estimate);
