namespace SpecSynth.Output;

/// <summary>One file of an <see cref="OutputPlan"/>: where it goes, what it holds, and what was there.</summary>
/// <param name="Path">The confined, normalised relative path (<c>/</c> separators).</param>
/// <param name="FullPath">The absolute path that will be written, with symbolic links resolved.</param>
/// <param name="NewContent">The new text, written as UTF-8 without a BOM, line endings exactly as given.</param>
/// <param name="Language">The language, or <c>null</c> when unknown.</param>
/// <param name="Action">Whether the file is created, modified or left unchanged.</param>
/// <param name="OldContent">The current text (decoded as UTF-8), or <c>null</c> when the file does not exist.</param>
internal sealed record PlannedFile(string Path, string FullPath, string NewContent, string? Language, FileAction Action, string? OldContent)
{
    /// <summary>The exact bytes that will be written.</summary>
    internal byte[] NewBytes { get; init; } = [];

    /// <summary>The exact bytes on disk when the plan was made, or <c>null</c> when the file did not exist.</summary>
    internal byte[]? OldBytes { get; init; }
}
