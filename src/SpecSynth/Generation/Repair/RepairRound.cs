using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>The state after one round: round 0 is the first reply, round N the N-th repair reply.</summary>
/// <param name="Number">0 for the first reply, then 1, 2...</param>
/// <param name="Validation">Every file's syntax validation after this round.</param>
/// <param name="Check">The check command's result, or <c>null</c> when none is configured or it was skipped
/// because a file had syntax errors.</param>
/// <param name="ResentFiles">The paths the repair reply sent again (empty for round 0).</param>
/// <param name="Notes">What was ignored in the reply (incomplete or unsafe files, a reply without files).</param>
/// <param name="StopReason">The repair reply's stop reason (<c>null</c> for round 0).</param>
/// <param name="Usage">Tokens the repair request used (<see cref="TokenUsage.Zero"/> for round 0).</param>
internal sealed record RepairRound(int Number, IReadOnlyList<FileValidation> Validation, CheckResult? Check,
    IReadOnlyList<string> ResentFiles, IReadOnlyList<string> Notes, string? StopReason, TokenUsage Usage)
{
    /// <summary>Every diagnostic of this round's validation.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => [.. Validation.SelectMany(v => v.Diagnostics)];

    /// <summary>Whether no file is invalid and the check (when it ran) passed.</summary>
    public bool IsClean(bool checkConfigured) =>
        Validation.All(v => v.Status != ValidationStatus.Invalid) && (!checkConfigured || Check?.Passed == true);
}
