namespace SpecSynth.Context;

/// <summary>How the planned prompt fits one provider of the chain.</summary>
/// <param name="Budget">The provider's budget.</param>
/// <param name="PromptTokens">The whole prompt's tokens for its model (system prompt, template and every item).</param>
/// <param name="Exact">Whether <paramref name="PromptTokens"/> is exact (a tokenizer or the provider's endpoint) or a
/// calibrated estimate that already includes its safety margin.</param>
internal sealed record ContextFit(ContextBudget Budget, int PromptTokens, bool Exact);
