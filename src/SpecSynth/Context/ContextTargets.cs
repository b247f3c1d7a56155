using SpecSynth.Context.Tokens;
using SpecSynth.Providers;

namespace SpecSynth.Context;

/// <summary>The planner's targets for a chain: one budget and prompt counter per provider. With a state folder (and the context index on), exact
/// (tiktoken) counters remember their counts in its <see cref="TokenCountCache"/>. Dispose it to release the
/// token-counting endpoint clients and write the counts it learned.</summary>
internal sealed class ContextTargets : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly TokenCountCache? _tokens;

    private ContextTargets(IReadOnlyList<ProviderLimit> limits, string? stateDir, bool exactTokens, int? budget, int? cap, bool rememberCounts)
    {
        var targets = new List<ContextTarget>(limits.Count);
        foreach (var limit in limits)
        {
            PromptTokenCounter counter;
            var claude = ProviderIds.Normalize(limit.Provider) == ProviderIds.Claude;
            if (claude && limit.Settings is { ApiKey: not null } settings)
            {
                var (prompt, remote) = TokenCounters.ForPrompt(settings with { Model = limit.Model }, stateDir, exactTokens);
                counter = prompt;
                if (remote is not null)
                {
                    _owned.Add(remote);
                }
            }
            else
            {
                var local = TokenCounters.For(limit.Provider, limit.Model, stateDir);
                if (local is TiktokenCounter tiktoken && stateDir is not null && rememberCounts)
                {
                    _tokens ??= TokenCountCache.InStateDir(stateDir);
                    local = tiktoken.WithCache(_tokens);
                }
                counter = new PromptTokenCounter(local);
            }
            var exact = counter.Local.IsExact || (claude && exactTokens && limit.Settings is { ApiKey: not null });
            var contextBudget = budget is { } given
                ? ContextBudget.Given(limit.Provider, limit.Model, given, exact)
                : ContextBudget.ForWindow(limit.Provider, limit.Model, limit.ContextWindow, limit.MaxOutputTokens, exact).CappedAt(cap);
            targets.Add(new ContextTarget(contextBudget, counter));
        }
        All = targets;
    }

    /// <summary>The targets, in chain order.</summary>
    public IReadOnlyList<ContextTarget> All { get; }

    /// <summary>Targets for <paramref name="limits"/> (at least one).</summary>
    /// <param name="limits">The chain's providers.</param>
    /// <param name="stateDir">The state folder for calibrated estimates, or <c>null</c>.</param>
    /// <param name="exactTokens"><c>--exact-tokens</c>: count Claude prompts with the endpoint (needs the key in the settings).</param>
    /// <param name="budget"><c>--budget N</c>: the prompt may take N tokens with every provider, whatever its window.</param>
    /// <param name="cap"><c>[context] budget</c>: the prompt may take at most this many tokens (less when a window is smaller).</param>
    /// <param name="rememberCounts"><c>[context] index</c>: keep exact counts in the state folder's token-count cache
    /// (hashes of the counted texts); <c>false</c> keeps nothing about the project's texts on disk.</param>
    public static ContextTargets Create(IReadOnlyList<ProviderLimit> limits, string? stateDir, bool exactTokens, int? budget = null, int? cap = null,
        bool rememberCounts = true)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Count == 0)
        {
            throw new ArgumentException("at least one provider is needed", nameof(limits));
        }
        return new ContextTargets(limits, stateDir, exactTokens, budget, cap, rememberCounts);
    }

    public void Dispose()
    {
        _tokens?.Flush();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
