namespace SpecSynth.Projects;

/// <summary>One compiled line of an ignore file.</summary>
/// <param name="Pattern">The original line, for diagnostics.</param>
/// <param name="Glob">Matches a path relative to the ignore file's folder, <c>/</c>-separated.</param>
/// <param name="Negated">The line started with <c>!</c>: a match re-includes the path.</param>
/// <param name="DirectoryOnly">The line ended with <c>/</c>: it matches directories only.</param>
internal sealed record GitIgnoreRule(string Pattern, GlobPattern Glob, bool Negated, bool DirectoryOnly)
{
    public bool Matches(string relativePath, bool isDirectory) => Matches(relativePath.AsSpan(), isDirectory);

    /// <summary>Whether the rule matches <paramref name="relativePath"/> (relative to the ignore file's folder).</summary>
    public bool Matches(ReadOnlySpan<char> relativePath, bool isDirectory) =>
        (isDirectory || !DirectoryOnly) && Glob.IsMatch(relativePath);
}
