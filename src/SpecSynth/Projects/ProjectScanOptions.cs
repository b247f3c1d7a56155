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

    /// <summary>
    /// The folder of the walk's persistent cache (<see cref="WalkCache"/>: the context index's folder under the state
    /// folder), or <c>null</c> (default) for none. With it a walk lists again only the folders changed since the last
    /// walk; the result is the same either way.
    /// </summary>
    public string? CacheFolder { get; init; }

    /// <summary>The most the walk caches of all projects take together in <see cref="CacheFolder"/>. Default 512 MiB.</summary>
    public long CacheMaxBytes { get; init; } = Context.Index.ContextIndexOptions.DefaultMaxMb * 1024L * 1024;

    /// <summary>A folder or ignore file changed this close to (or after) the writing of the walk cache may have changed again
    /// within the file system's timestamp granularity without a new signature: the cache does not trust it (git's "racily
    /// clean" rule). Default 2 s.</summary>
    public TimeSpan CacheRacyWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>These options with the walk's cap of <c>[context] max_files</c> and, when <c>[context] index</c> is on, the walk
    /// cache of the state folder <paramref name="stateDir"/> (beside the context index, sharing its size setting).</summary>
    public ProjectScanOptions WithState(string stateDir, Config.ContextOptions context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var capped = this with { MaxFiles = context.MaxFiles };
        return context.Index
            ? capped with
            {
                CacheFolder = Path.Combine(stateDir, Context.Index.ContextIndexOptions.FolderName),
                CacheMaxBytes = context.IndexMaxMb * 1024L * 1024,
            }
            : capped;
    }
}
