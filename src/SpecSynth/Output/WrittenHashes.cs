namespace SpecSynth.Output;

/// <summary>
/// What specsynth last wrote in one output folder: for each path, the SHA-256 the newest committed write journal run
/// recorded. A file whose bytes differ from it was changed by someone else since ("had local edits").
/// </summary>
internal sealed class WrittenHashes
{
    private readonly Dictionary<string, string> _hashes;

    private WrittenHashes(Dictionary<string, string> hashes) => _hashes = hashes;

    /// <summary>The hashes recorded for <paramref name="outputRoot"/>.</summary>
    /// <param name="outputRoot">The output folder (as given, or with links resolved).</param>
    /// <param name="journal">Every recorded write run, newest first (<see cref="WriteJournal.ListAsync"/>).</param>
    public static WrittenHashes For(string outputRoot, IReadOnlyList<JournalRun> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var full = PathGuard.FullRoot(outputRoot);
        var roots = new HashSet<string>(RealPath.Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase)
        {
            full,
            PathGuard.RealRoot(full),
        };
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in journal.Where(r => r.Status == JournalRunStatus.Committed && roots.Contains(PathGuard.FullRoot(r.OutputRoot))))
        {
            foreach (var file in run.Files)
            {
                hashes.TryAdd(file.Path, file.Sha256);
            }
        }
        return new WrittenHashes(hashes);
    }

    /// <summary>The hash specsynth last wrote at <paramref name="path"/> (output-relative, <c>/</c>), or <c>null</c>.</summary>
    public string? this[string path] => _hashes.GetValueOrDefault(path);

    /// <summary>Records a write of this run (so a later spec of the run does not take it for a local edit).</summary>
    public void Record(string path, ReadOnlySpan<byte> bytes) => _hashes[path] = WriteJournal.Sha256(bytes);

    /// <summary>Whether <paramref name="current"/> (the bytes at <paramref name="path"/> now) differ from what specsynth
    /// last wrote there. A file specsynth never wrote, or one that no longer exists, has no local edits.</summary>
    public bool Edited(string path, ReadOnlySpan<byte> current) => this[path] is { } recorded && WriteJournal.Sha256(current) != recorded;
}
