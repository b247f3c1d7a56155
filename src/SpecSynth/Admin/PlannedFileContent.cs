namespace SpecSynth;

/// <summary>One file a dry run planned (<see cref="GenerateResult.PlannedFiles"/>): what <see cref="DryRunPlan.ApplyAsync"/> writes.</summary>
/// <param name="Path">Relative to the output folder, with <c>/</c>.</param>
/// <param name="Content">The text to write (UTF-8 without a BOM, line endings as given).</param>
/// <param name="OriginalSha256">The SHA-256 (lower-case hex) of the file's bytes when the dry run was planned, or <c>null</c> when it did
/// not exist: applying is refused when the file is no longer so.</param>
public sealed record PlannedFileContent(string Path, string Content, string? OriginalSha256);
