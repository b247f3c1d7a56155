namespace SpecSynth.Projects;

/// <summary>A text file of the project, read into context with secrets already redacted.</summary>
/// <param name="Path">Path relative to the project root, with <c>/</c> separators.</param>
/// <param name="Content">The file text after redaction.</param>
/// <param name="Bytes">The size on disk in bytes.</param>
/// <param name="Language">Language guessed from the extension (e.g. <c>csharp</c>), or <c>null</c>.</param>
internal sealed record ProjectFile(string Path, string Content, long Bytes, string? Language);
