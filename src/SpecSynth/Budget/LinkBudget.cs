using SpecSynth.Context;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Budget;

/// <summary>What a paid provider link needs to check its requests against the budgets.</summary>
/// <param name="Ledger">The run's budgets.</param>
/// <param name="Model">The link's model id (for messages).</param>
/// <param name="Pricing">The model's prices.</param>
/// <param name="Counter">Counts the prompt (<c>TokenCounters.For(provider, model, stateDir)</c>).</param>
/// <param name="DefaultMaxOutputTokens">The link's output cap when a request sets none.</param>
internal sealed record LinkBudget(BudgetLedger Ledger, string Model, ModelInfo Pricing, ITokenCounter Counter, int DefaultMaxOutputTokens);
