namespace SpecSynth.Context.Index;

/// <summary>Where and how large the context indexes are (<c>[context] index</c>, <c>index_max_mb</c>).</summary>
/// <param name="Folder">The folder holding every project's index (under the state folder).</param>
/// <param name="MaxBytes">The most the indexes of all projects take together; the least recently used go first.</param>
internal sealed record ContextIndexOptions(string Folder, long MaxBytes)
{
    /// <summary>The default size cap, in MiB.</summary>
    public const int DefaultMaxMb = 512;

    /// <summary>The folder name under the state folder.</summary>
    public const string FolderName = "context-index";

    /// <summary>A file changed this close to (or after) the index's writing may change again within the file system's
    /// timestamp granularity without a new signature: its record is not kept (git's "racily clean" rule). Default 2 s.</summary>
    public TimeSpan RacyWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The default of <see cref="SpillBufferRows"/> (20 bytes a row).</summary>
    public const int DefaultSpillBufferRows = 1 << 17;

    /// <summary>Rows each worker holds per table before they go to a temporary file while an index is built from nothing
    /// (smaller in tests). The index is the same whatever it is.</summary>
    public int SpillBufferRows { get; init; } = DefaultSpillBufferRows;

    /// <summary>Whether a ranking with no usable index ranks without it, leaving the build to the host
    /// (<c>[context] index_build = "background"</c>); <c>null</c> (default): it builds the index inline.</summary>
    public IndexDeferral? Deferral { get; init; }
}
