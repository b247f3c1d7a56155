using Microsoft.Extensions.AI;
using SpecSynth.Budget;

namespace SpecSynth.Middleware;

/// <summary>
/// The observe-only layers that one <see cref="ObservedStream"/> drives over one inner client, outermost first: the budget
/// check, the circuit breaker, the rate limits (each present when that layer sits in an adjacent run), or the context-length
/// detection alone. Made once per layer, when the pipeline is built.
/// </summary>
/// <remarks>
/// The layers stay in the pipeline as they are (their own <see cref="IChatClient.GetResponseAsync"/>, the layer listing);
/// only a stream is driven by the outermost of an adjacent run, which calls the others' hooks in their order instead of
/// going through one async iterator per layer.
/// </remarks>
internal sealed record StreamGuards(IChatClient Inner, BudgetChatClient? Budget = null, CircuitBreakerChatClient? Breaker = null,
    RateLimitChatClient? RateLimits = null, ContextLengthChatClient? ContextLength = null)
{
    /// <summary>The budget check over <paramref name="inner"/>: fused with the breaker and rate limits right below it.</summary>
    public static StreamGuards Over(BudgetChatClient budget, IChatClient inner) =>
        Below(inner) is { Budget: null, ContextLength: null } below ? below with { Budget = budget } : new(inner, Budget: budget);

    /// <summary>The circuit breaker over <paramref name="inner"/>: fused with the rate limits right below it.</summary>
    public static StreamGuards Over(CircuitBreakerChatClient breaker, IChatClient inner) =>
        Below(inner) is { Budget: null, Breaker: null, ContextLength: null } below ? below with { Breaker = breaker } : new(inner, Breaker: breaker);

    /// <summary>The rate limits over <paramref name="inner"/> (the attempt time limits are below them in the pipeline).</summary>
    public static StreamGuards Over(RateLimitChatClient rateLimits, IChatClient inner) => new(inner, RateLimits: rateLimits);

    /// <summary>The context-length detection over <paramref name="inner"/>, alone.</summary>
    public static StreamGuards Over(ContextLengthChatClient contextLength, IChatClient inner) => new(inner, ContextLength: contextLength);

    private static StreamGuards? Below(IChatClient inner) => (inner as StreamObservingChatClient)?.Guards;
}
