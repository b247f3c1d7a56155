using SpecSynth.Middleware;
using SpecSynth.Parsing;

namespace SpecSynth;

/// <summary>A review: the object <c>review --json</c> prints.</summary>
public sealed record ReviewResult(string Provider, string Model, string Summary, IReadOnlyList<RequirementFinding> Requirements,
    IReadOnlyList<ReviewIssue> Issues, TokenUsage Usage, decimal CostUsd, bool CacheHit, string? Route, IReadOnlyList<ResilienceEvent> Events);
