namespace SpecSynth.Routing;

/// <summary>The <c>[routing]</c> rules: which provider and model answer each operation, small specs, and where requests go when
/// a budget is exhausted. Each target is a <see cref="RouteTarget"/> (<c>"claude:claude-haiku-4-5"</c>, <c>"ollama"</c>).</summary>
public sealed record RoutingOptions
{
    /// <summary><c>[routing] generate</c>, or <c>null</c> for the configured provider chain.</summary>
    public RouteTarget? Generate { get; init; }

    /// <summary><c>[routing] explain</c>.</summary>
    public RouteTarget? Explain { get; init; }

    /// <summary><c>[routing] review</c>.</summary>
    public RouteTarget? Review { get; init; }

    /// <summary><c>[routing] small_spec_tokens</c>: a spec of fewer tokens than this is small.</summary>
    public int? SmallSpecTokens { get; init; }

    /// <summary><c>[routing] small_spec</c>: the target for generating small specs (wins over <see cref="Generate"/>).</summary>
    public RouteTarget? SmallSpec { get; init; }

    /// <summary><c>[routing] on_budget_exhausted</c>: a free local provider (<c>ollama</c>) that answers instead of failing
    /// when a budget would be exceeded.</summary>
    public RouteTarget? OnBudgetExhausted { get; init; }

    /// <summary>The target configured for <paramref name="operation"/> (<c>generate</c>, <c>explain</c>, <c>review</c>), if any.</summary>
    public RouteTarget? For(string operation) => operation switch
    {
        "generate" => Generate,
        "explain" => Explain,
        "review" => Review,
        _ => null,
    };
}
