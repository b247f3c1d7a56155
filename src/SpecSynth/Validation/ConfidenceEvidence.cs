
namespace SpecSynth.Validation;

/// <summary>The facts <see cref="ConfidenceModel"/> scores.</summary>
internal sealed record ConfidenceEvidence
{
    /// <summary>The generation reply's stop reason (<c>stop</c>, <c>length</c>, <c>content_filter</c>...).</summary>
    public string StopReason { get; init; } = "stop";

    /// <summary>How many files the reply contained.</summary>
    public int Files { get; init; }

    /// <summary>How many of them the reply ended inside (truncated).</summary>
    public int IncompleteFiles { get; init; }

    /// <summary>Parser warnings (blocks without a path, repeated paths...).</summary>
    public int ParserWarnings { get; init; }

    /// <summary>Files a validator found valid.</summary>
    public int SyntaxValid { get; init; }

    /// <summary>Files a validator found invalid.</summary>
    public int SyntaxInvalid { get; init; }

    /// <summary>Files not validated (no validator, checker missing, checker timed out).</summary>
    public int SyntaxUnvalidated { get; init; }

    /// <summary>The <c>--check</c> command's outcome.</summary>
    public CheckOutcome Check { get; init; } = CheckOutcome.NotRun;

    /// <summary>How many repair rounds were used.</summary>
    public int RepairRounds { get; init; }

    /// <summary>The self-review's verdicts, or <c>null</c> when there was no self-review.</summary>
    public ReviewCounts? Review { get; init; }

    /// <summary>Returns a copy with the syntax counts taken from <paramref name="validation"/>
    /// (<see cref="ValidationStatus.CheckerMissing"/> counts as unvalidated).</summary>
    public ConfidenceEvidence WithValidation(IReadOnlyList<FileValidation> validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return this with
        {
            SyntaxValid = validation.Count(v => v.Status == ValidationStatus.Valid),
            SyntaxInvalid = validation.Count(v => v.Status == ValidationStatus.Invalid),
            SyntaxUnvalidated = validation.Count(v => v.Status is ValidationStatus.Unvalidated or ValidationStatus.CheckerMissing),
        };
    }

    /// <summary>Returns a copy with the final validation, check outcome and rounds of a repair loop.</summary>
    /// <param name="validation">The final validation of every file.</param>
    /// <param name="check">The last check's result, or <c>null</c> when no check ran.</param>
    /// <param name="rounds">The repair rounds used.</param>
    /// <param name="files">The files of the final result.</param>
    public ConfidenceEvidence WithRepair(IReadOnlyList<FileValidation> validation, CheckResult? check, int rounds, int files)
    {
        var outcome = check is null ? CheckOutcome.NotRun : check.Passed ? CheckOutcome.Passed : CheckOutcome.Failed;
        return WithValidation(validation) with { Check = outcome, RepairRounds = rounds, Files = files };
    }
}
