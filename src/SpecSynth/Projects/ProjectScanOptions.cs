namespace SpecSynth.Projects;

/// <summary>Limits and extra ignore rules for <see cref="ProjectScanner"/>.</summary>
internal sealed record ProjectScanOptions
{
    /// <summary>The defaults: 256 KB per file, 8 MB in total, 20,000 files in the tree, no extra patterns.</summary>
    public static ProjectScanOptions Default { get; } = new();

    /// <summary>Files larger than this many bytes are listed in the tree but not read. Default 256 KB.</summary>
    public long MaxFileBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Bytes of file content read in total. Default 8 MB. Files are taken in ordinal path order and a file
    /// that does not fit in what is left is skipped (a smaller later file may still fit).
    /// </summary>
    public long MaxTotalBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>At most this many files are listed in the tree; the walk stops there. Default 20,000.</summary>
    public int MaxFiles { get; init; } = 20_000;

    /// <summary>
    /// Extra patterns in <c>.gitignore</c> syntax, relative to the root. They decide before any ignore file
    /// (a negated pattern here re-includes a path an ignore file would exclude). Default none.
    /// </summary>
    public IReadOnlyList<string> IgnorePatterns { get; init; } = [];

    /// <summary>
    /// Whether file contents are read into <see cref="ProjectContext.Files"/>. Default <c>true</c>. With <c>false</c>
    /// the scan lists the tree only (paths and sizes) and the relevance ranker reads what it needs, which is what a
    /// large repository wants: nothing is held in memory that the prompt will not use.
    /// </summary>
    public bool ReadContents { get; init; } = true;
}
