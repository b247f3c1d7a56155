using SpecSynth.Context.Tokens;

namespace SpecSynth.Context;

/// <summary>One provider of the chain as the planner sees it: its budget and the counter of its prompts.</summary>
/// <param name="Budget">What the prompt may take with this provider.</param>
/// <param name="Counter">Counts prompts for its model (locally, and through the provider's endpoint when exact counts
/// are asked for or an estimate is near the limit).</param>
internal sealed record ContextTarget(ContextBudget Budget, PromptTokenCounter Counter)
{
    /// <summary>The same target with its prompt limit lowered to <paramref name="limit"/> (never raised).</summary>
    public ContextTarget Shrunk(int limit) => this with { Budget = Budget with { PromptLimit = Math.Min(Budget.PromptLimit, Math.Max(0, limit)) } };
}
