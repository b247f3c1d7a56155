using System.Text.Json.Serialization;
using SpecSynth.Middleware;
using SpecSynth.Parsing;
using SpecSynth.Output;
using SpecSynth.Validation;

namespace SpecSynth;

/// <summary>Whether a generation wrote its files or only planned them.</summary>
public enum GenerateStatus
{
    /// <summary>The files were written (journaled; <c>specsynth undo</c> removes them).</summary>
    Written,

    /// <summary>A dry run: planned and diffed, nothing written.</summary>
    DryRun,
}

/// <summary>
/// What one spec's generation produced: the object <c>generate --json</c> prints (property order and names are the JSON
/// shape, snake_case). <see cref="Diff"/> is not part of the JSON.
/// </summary>
public sealed record GenerateResult
{
    /// <summary>The spec as given (its path, or its name when given as text).</summary>
    public required string Spec { get; init; }

    /// <summary>Written or dry run.</summary>
    public required GenerateStatus Status { get; init; }

    /// <summary>What was understood of the spec.</summary>
    public UnderstoodSpec? Understood { get; init; }

    /// <summary>The provider that answered.</summary>
    public required string Provider { get; init; }

    /// <summary>Its model.</summary>
    public required string Model { get; init; }

    /// <summary>Providers of the chain skipped before it answered.</summary>
    public IReadOnlyList<string> SkippedProviders { get; init; } = [];

    /// <summary>Why the reply stopped.</summary>
    public string StopReason { get; init; } = "";

    /// <summary>How confident the result is (0 to 1).</summary>
    public double Confidence { get; init; }

    /// <summary>Why that confidence.</summary>
    public IReadOnlyList<string> ConfidenceEvidence { get; init; } = [];

    /// <summary>Tokens of the generation.</summary>
    public required GenerateUsage Usage { get; init; }

    /// <summary>What it cost (0 for a cache hit), rounded to 6 places.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Whether the reply came from the response cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>The output folder.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>Every file of the result, with what happens to it.</summary>
    public required IReadOnlyList<GenerateFileResult> Files { get; init; }

    /// <summary>The validation and repair rounds.</summary>
    public required GenerateRepair Repair { get; init; }

    /// <summary>The self-review, when asked for.</summary>
    public GenerateReview? Review { get; init; }

    /// <summary>The write journal's run id (<c>null</c> for a dry run).</summary>
    public string? JournalRun { get; init; }

    /// <summary>The stored conversation (<c>null</c> for dry runs, or when it could not be saved).</summary>
    public long? ConversationId { get; init; }

    /// <summary>The <c>[routing]</c> target used, or <c>null</c>.</summary>
    public string? Route { get; init; }

    /// <summary>The context planner's warning, if any.</summary>
    public string? ContextWarning { get; init; }

    /// <summary>Every retry, wait, fallback and continuation of the run (<c>null</c> inside a <see cref="GenerateAllResult"/>,
    /// which carries them once).</summary>
    public IReadOnlyList<ResilienceEvent>? Events { get; init; }

    /// <summary>The model's explanation of its files.</summary>
    public string Explanation { get; init; } = "";

    /// <summary>The unified diff of the plan (what a dry run prints); not in the JSON.</summary>
    [JsonIgnore]
    public string Diff { get; init; } = "";

    /// <summary>Every planned file with its content and what was on disk when planned (not in the JSON): what
    /// <see cref="DryRunPlan.ApplyAsync"/> writes after a dry run.</summary>
    [JsonIgnore]
    public IReadOnlyList<PlannedFileContent> PlannedFiles { get; init; } = [];
}

/// <summary>Tokens of a generation.</summary>
public sealed record GenerateUsage(long InputTokens, long OutputTokens, long CacheWriteTokens, long CacheReadTokens);

/// <summary>One file of a generation.</summary>
/// <param name="Path">Relative to the output folder, with <c>/</c>.</param>
/// <param name="Action">Created, modified or unchanged.</param>
/// <param name="LocalEdits">Whether the user changed it since specsynth last wrote it.</param>
/// <param name="Bytes">Its new size in UTF-8 bytes.</param>
/// <param name="Language">Its language.</param>
/// <param name="Validation">How it validated, or <c>null</c>.</param>
public sealed record GenerateFileResult(string Path, FileAction Action, bool LocalEdits, int Bytes, string? Language, GenerateFileValidation? Validation);

/// <summary>How a file validated.</summary>
public sealed record GenerateFileValidation(ValidationStatus Status, string? Validator, IReadOnlyList<string> Diagnostics);

/// <summary>The validation and repair of a generation.</summary>
public sealed record GenerateRepair(bool Valid, int RoundsUsed, IReadOnlyList<GenerateRepairRound> Rounds);

/// <summary>One round (0: the first reply).</summary>
public sealed record GenerateRepairRound(int Number, IReadOnlyList<string> ResentFiles, IReadOnlyList<string> Diagnostics, GenerateCheck? Check,
    IReadOnlyList<string> Notes);

/// <summary>The <c>--check</c> command's run (command and output redacted, output cut to its last 4,000 characters).</summary>
public sealed record GenerateCheck(string Command, bool Passed, int? ExitCode, bool TimedOut, string Output);

/// <summary>The self-review.</summary>
public sealed record GenerateReview(string Summary, IReadOnlyList<RequirementFinding> Requirements, IReadOnlyList<ReviewIssue> Issues);
