namespace SpecSynth.Output;

/// <summary>
/// Files an <see cref="OutputPlan"/> may not replace (the specs of the run), by real path. Resolved once for a run, not
/// once for every spec's plan (issue 19: a run of N spec files resolved the N paths, links and all, in each of its N
/// plans).
/// </summary>
internal sealed class ProtectedFiles
{
    private readonly HashSet<string> _real;

    private ProtectedFiles(HashSet<string> real) => _real = real;

    /// <summary>No protected file.</summary>
    public static ProtectedFiles None { get; } = new([]);

    /// <summary>The files of <paramref name="paths"/> that exist, by real path.</summary>
    public static ProtectedFiles Resolve(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var comparer = RealPath.Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        // Sized up front: a run of 10,000 specs otherwise grew it through ~0.2 MB of large-object arrays left as garbage.
        var real = new HashSet<string>(paths.TryGetNonEnumeratedCount(out var count) ? count : 0, comparer);
        foreach (var file in paths.Where(File.Exists))
        {
            // A path that is its own real path (no link, nothing to normalize: e.g. a shell's absolute glob) is kept as the
            // caller's string rather than as a copy: 10,000 specs' copies were ~1.3 MB held to the run's end.
            var resolved = RealPath.Resolve(Path.GetFullPath(file));
            real.Add(string.Equals(resolved, file, StringComparison.Ordinal) ? file : resolved);
        }
        return new(real);
    }

    /// <summary>Whether <paramref name="realPath"/> (resolved) is one of the files.</summary>
    public bool Contains(string realPath) => _real.Contains(realPath);
}
