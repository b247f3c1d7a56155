namespace SpecSynth.Context.Relevance;

/// <summary>A file the ranker may rank.</summary>
/// <param name="Path">Relative path, <c>/</c>-separated.</param>
/// <param name="FullPath">Absolute path on disk.</param>
/// <param name="Bytes">Size on disk.</param>
/// <param name="Content">The redacted text when the scan already read it, else <c>null</c> (read from disk when small enough).</param>
internal sealed record Candidate(string Path, string FullPath, long Bytes, string? Content)
{
    /// <summary>The file's signature as the walk took it (<see cref="Projects.WalkEntry.Signature"/>), or <c>null</c>: the
    /// context index then takes it itself.</summary>
    public Index.FileSignature? Signature { get; init; }

    /// <summary>The scanning distinctions its extension implies (worked out when asked: a warm ranking scans nothing).</summary>
    public SourceKind Kind => KindOf(Path);

    private static SourceKind KindOf(string path)
    {
        var extension = System.IO.Path.GetExtension(path.AsSpan());
        if (!System.Text.Ascii.IsValid(extension))
        {
            return KindOfLower(extension.ToString().ToLowerInvariant());
        }
        if (extension.Length > 8)
        {
            return SourceKind.Other;
        }
        Span<char> lower = stackalloc char[8];
        System.Text.Ascii.ToLower(extension, lower, out var written);
        return KindOfLower(lower[..written]);
    }

    private static SourceKind KindOfLower(ReadOnlySpan<char> extension) => extension switch
    {
        ".h" or ".hh" or ".hpp" or ".hxx" => SourceKind.Header,
        ".py" or ".pyi" => SourceKind.Python,
        _ => SourceKind.Other,
    };
}
