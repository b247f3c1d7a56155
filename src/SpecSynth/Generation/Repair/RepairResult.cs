using SpecSynth.Parsing;
using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>What <see cref="RepairLoop"/> ended with.</summary>
/// <param name="Files">The final files: the first reply's, each replaced by the last version a repair reply sent,
/// plus any new file a repair reply added; paths confined to the output folder.</param>
/// <param name="Rounds">Every round, round 0 (the first reply) first.</param>
/// <param name="Valid">Whether the last round is clean: no file invalid and the check (when configured) passed.
/// Unvalidated files do not make it false; they are reported in the validation.</param>
internal sealed record RepairResult(IReadOnlyList<GeneratedFile> Files, IReadOnlyList<RepairRound> Rounds, bool Valid)
{
    /// <summary>How many repair requests were sent.</summary>
    public int RoundsUsed => Rounds.Count - 1;

    /// <summary>The last round's validation.</summary>
    public IReadOnlyList<FileValidation> Validation => Rounds[^1].Validation;

    /// <summary>The last round's check result, or <c>null</c> when it did not run.</summary>
    public CheckResult? Check => Rounds[^1].Check;

    /// <summary>Tokens all repair requests used.</summary>
    public TokenUsage Usage => Rounds.Aggregate(TokenUsage.Zero, (sum, r) => sum + r.Usage);
}
