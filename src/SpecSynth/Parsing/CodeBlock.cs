namespace SpecSynth.Parsing;

/// <summary>A file extracted from a model reply.</summary>
/// <param name="Path">The path the model gave, as written (untrusted; confined when writing).</param>
/// <param name="Language">The fence's language (info string) or one inferred from the extension, or <c>null</c>.</param>
/// <param name="Content">The file content, without the path marker line; line endings normalised to <c>\n</c>.</param>
/// <param name="LineStart">The 1-based line in the reply where the content starts.</param>
/// <param name="IsComplete"><c>false</c> when the reply ended inside this block (truncated).</param>
internal sealed record CodeBlock(string Path, string? Language, string Content, int LineStart, bool IsComplete);
