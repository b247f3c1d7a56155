using SpecSynth.Budget;
using SpecSynth.Caching;
using SpecSynth.Middleware;
using SpecSynth.Usage;
using Microsoft.Extensions.AI;

namespace SpecSynth.Pipeline;

/// <summary>
/// Everything <see cref="SpecSynthPipeline"/> needs to build one run's client, decided from the effective configuration:
/// the provider links (or the host's one client) and the state each layer works on. A layer whose part is <c>null</c>
/// is left out (no cache, no budgets).
/// </summary>
/// <param name="Links">The providers, in order of preference (at least one).</param>
/// <param name="Resilience">Retries, circuit breaker, continuation, timeouts; validated when the pipeline is built.</param>
/// <param name="Time">The clock of every wait, timeout and timestamp.</param>
/// <param name="Observer">Hears every retry, wait, restart, fallback and continuation.</param>
/// <param name="Registry">The rate limiters and circuits shared by the host's pipelines.</param>
internal sealed record PipelinePlan(IReadOnlyList<ProviderLink> Links, ResilienceOptions Resilience, TimeProvider Time,
    IResilienceObserver Observer, ResilienceRegistry Registry)
{
    /// <summary>The randomness of the retry jitter (seeded in tests).</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Whether prompts are redacted (always, but a bare resilience chain built for tests leaves it out).</summary>
    public bool Redact { get; init; } = true;

    /// <summary>The usage ledger and audit log, or <c>null</c> for none.</summary>
    public UsageLayer? Usage { get; init; }

    /// <summary>The budgets' outer layer (owns the ledger; reroutes to the local model), or <c>null</c> without budgets.</summary>
    public BudgetFallbackLayer? BudgetFallback { get; init; }

    /// <summary>The response cache, or <c>null</c> when off.</summary>
    public CacheLayer? Cache { get; init; }

    /// <summary>Whether the chat spans carry the (redacted) prompt and reply: <c>[telemetry] include_content</c>.</summary>
    public bool IncludeContent { get; init; }
}

/// <summary>The usage middleware's sinks and run.</summary>
internal sealed record UsageLayer(UsageLedger? Ledger, AuditLog? Audit, bool IncludePrompts, UsageContext Context,
    IReadOnlyList<UsageChainEntry> Chain, Action<string>? OnWarning)
{
    /// <summary>Logs each request (<c>SpecSynth.Pipeline</c>), or <c>null</c> for none.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}

/// <summary>The budgets' outer layer: the ledger it owns and the free local route for a refused request.</summary>
internal sealed record BudgetFallbackLayer(BudgetLedger Ledger, string? LocalName, Func<CancellationToken, Task<IChatClient>>? CreateLocal,
    Action<string>? OnWarning);

/// <summary>The response cache: its store (owned by the layer), mode, lifetime and the chain's key parts.</summary>
internal sealed record CacheLayer(ResponseCacheStore Store, CacheMode Mode, TimeSpan Ttl, IReadOnlyList<string> Chain);
