using SpecSynth.Context;
using SpecSynth.Context.Tokens;
using SpecSynth.Providers;

namespace SpecSynth.Budget;

/// <summary>What a paid provider link needs to check its requests against the budgets.</summary>
/// <param name="Ledger">The run's budgets.</param>
/// <param name="Model">The link's model id (for messages).</param>
/// <param name="Pricing">The model's prices.</param>
/// <param name="Counter">Counts the prompt (<c>TokenCounters.For(provider, model, stateDir)</c>).</param>
/// <param name="DefaultMaxOutputTokens">The link's output cap when a request sets none.</param>
internal sealed record LinkBudget(BudgetLedger Ledger, string Model, ModelInfo Pricing, ITokenCounter Counter, int DefaultMaxOutputTokens)
{
    /// <summary><paramref name="link"/> with its budget check when it is paid (<paramref name="pricing"/> set) and budgets apply;
    /// else <paramref name="link"/> itself (the mock and Ollama cost nothing).</summary>
    public static SpecSynth.Middleware.ProviderLink Attach(SpecSynth.Middleware.ProviderLink link, ModelInfo? pricing, BudgetLedger? ledger,
        int defaultMaxOutputTokens, string stateDir, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (pricing is null || ledger is null)
        {
            return link;
        }
        var model = link.Model ?? pricing.Id;
        return link with { Budget = new LinkBudget(ledger, model, pricing, TokenCounters.For(link.Name, model, stateDir, catalog), defaultMaxOutputTokens) };
    }
}
