using SpecSynth.Generation;
using SpecSynth.Output;

namespace SpecSynth.Jobs;

/// <summary>What one spec's generation produced, before it becomes a <see cref="GenerateResult"/>: the result, the output
/// plan, the journal run (when written) and cost.</summary>
internal sealed record GenerateOutcome(string SpecPath, GeneratedCode Result, OutputPlan Plan, string? RunId, decimal CostUsd,
    SpecSynth.Generation.Repair.VerifiedGeneration Verified)
{
    /// <summary>The stored conversation this generation was appended to (<c>null</c> for dry runs, or when it could not be saved).</summary>
    public long? ConversationId { get; init; }

    /// <summary>The <c>[routing]</c> target the run used (<c>provider:model</c>), or <c>null</c>.</summary>
    public string? Route { get; init; }

    /// <summary>The modified files the user had changed since specsynth last wrote them (output-relative paths).</summary>
    public IReadOnlySet<string> LocalEdits { get; init; } = new HashSet<string>();
}
