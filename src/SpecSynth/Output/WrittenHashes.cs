namespace SpecSynth.Output;

/// <summary>
/// What specsynth last wrote in one output folder: for each path, the SHA-256 the newest committed write journal run
/// recorded. A file whose bytes differ from it was changed by someone else since ("had local edits").
/// </summary>
internal sealed class WrittenHashes
{
    // Each hash as its 32 bytes in the dictionary's entry (no array a hash: a run of thousands of specs records one a
    // written file and keeps them to its end). A recorded hash that is not 64 lowercase hex digits (which no SHA-256 of
    // ours spells) is kept as it was, beside them, with no bytes: it never matches, as its string never did.
    private readonly Dictionary<string, Sha256Value> _hashes;
    private readonly Dictionary<string, string>? _odd;

    private WrittenHashes(Dictionary<string, Sha256Value> hashes, Dictionary<string, string>? odd) => (_hashes, _odd) = (hashes, odd);

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
        var hashes = new Dictionary<string, Sha256Value>(StringComparer.Ordinal);
        Dictionary<string, string>? odd = null;
        foreach (var run in journal.Where(r => r.Status == JournalRunStatus.Committed && roots.Contains(PathGuard.FullRoot(r.OutputRoot))))
        {
            foreach (var file in run.Files)
            {
                if (hashes.ContainsKey(file.Path))
                {
                    continue;
                }
                if (Sha256Value.TryParse(file.Sha256) is { } hash)
                {
                    hashes.Add(file.Path, hash);
                }
                else
                {
                    hashes.Add(file.Path, default);
                    (odd ??= new(StringComparer.Ordinal))[file.Path] = file.Sha256;
                }
            }
        }
        return new WrittenHashes(hashes, odd);
    }

    /// <summary>The hash specsynth last wrote at <paramref name="path"/> (output-relative, <c>/</c>), or <c>null</c>.</summary>
    public string? this[string path] =>
        !_hashes.TryGetValue(path, out var hash) ? null : _odd is { } odd && odd.TryGetValue(path, out var text) ? text : hash.ToString();

    /// <summary>Whether specsynth wrote <paramref name="path"/> (output-relative, <c>/</c>) in a recorded run or this one.</summary>
    public bool Contains(string path) => _hashes.ContainsKey(path);

    /// <summary>Records a write of this run (so a later spec of the run does not take it for a local edit).</summary>
    public void Record(string path, ReadOnlySpan<byte> bytes)
    {
        _hashes[path] = Sha256Value.Of(bytes);
        _odd?.Remove(path);
    }

    /// <summary>Whether <paramref name="current"/> (the bytes at <paramref name="path"/> now) differ from what specsynth
    /// last wrote there. A file specsynth never wrote, or one that no longer exists, has no local edits.</summary>
    public bool Edited(string path, ReadOnlySpan<byte> current)
    {
        if (!_hashes.TryGetValue(path, out var recorded))
        {
            return false;
        }
        return _odd?.ContainsKey(path) == true || Sha256Value.Of(current) != recorded;
    }
}
