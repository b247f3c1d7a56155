using SpecSynth.Middleware;

namespace SpecSynth;

/// <summary>An explanation: the object <c>explain --json</c> prints.</summary>
public sealed record ExplainResult(string Provider, string Model, string StopReason, TokenUsage Usage, decimal CostUsd, bool CacheHit,
    string? Route, IReadOnlyList<ResilienceEvent> Events, string Text);
