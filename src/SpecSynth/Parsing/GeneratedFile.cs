namespace SpecSynth.Parsing;

/// <summary>A generated file with its confined, normalised relative path.</summary>
/// <param name="Path">Relative path with <c>/</c> separators, checked against the output folder.</param>
/// <param name="Content">The file text.</param>
/// <param name="Language">The language, or <c>null</c> when unknown.</param>
internal sealed record GeneratedFile(string Path, string Content, string? Language);
