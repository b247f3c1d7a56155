using System.Collections.Concurrent;

namespace SpecSynth.Output;

/// <summary>
/// The write journal's runs (as <see cref="WriteJournal.ListAsync"/> read them at the start of a run) indexed for the
/// questions every spec of the run asks: what specsynth last wrote in an output folder (<see cref="Written"/>) and every
/// committed entry of one path (<see cref="Committed"/>). Each index is built once per output folder and shared by the
/// run's specs, so a spec's cost does not grow with the journal (issue 19). Thread-safe; the indexes are read-only.
/// </summary>
internal sealed class JournalLookup
{
    private readonly ConcurrentDictionary<string, WrittenHashes> _written = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, List<JournalFile>>> _committed = new(StringComparer.Ordinal);

    /// <param name="runs">Every recorded write run, newest first.</param>
    public JournalLookup(IReadOnlyList<JournalRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Runs = runs;
    }

    /// <summary>The runs, newest first.</summary>
    public IReadOnlyList<JournalRun> Runs { get; }

    /// <summary>What specsynth last wrote in <paramref name="outputRoot"/> (<see cref="WrittenHashes.For"/>); do not
    /// <see cref="WrittenHashes.Record"/> into it: it is shared.</summary>
    public WrittenHashes Written(string outputRoot) =>
        _written.GetOrAdd(PathGuard.FullRoot(outputRoot), (root, runs) => WrittenHashes.For(root, runs), Runs);

    /// <summary>Every entry of <paramref name="relative"/> (output-relative, <c>/</c>) in the committed runs whose output
    /// folder is exactly <paramref name="outputRoot"/> (compared as recorded, trailing separator ignored), newest first.</summary>
    public IReadOnlyList<JournalFile> Committed(string outputRoot, string relative) =>
        _committed.GetOrAdd(Path.TrimEndingDirectorySeparator(outputRoot), Index, Runs).GetValueOrDefault(relative) is { } entries
            ? entries
            : [];

    private static Dictionary<string, List<JournalFile>> Index(string outputRoot, IReadOnlyList<JournalRun> runs)
    {
        var index = new Dictionary<string, List<JournalFile>>(StringComparer.Ordinal);
        foreach (var run in runs.Where(r => r.Status == JournalRunStatus.Committed
            && string.Equals(Path.TrimEndingDirectorySeparator(r.OutputRoot), outputRoot, StringComparison.Ordinal)))
        {
            foreach (var file in run.Files)
            {
                if (!index.TryGetValue(file.Path, out var entries))
                {
                    index[file.Path] = entries = [];
                }
                entries.Add(file);
            }
        }
        return index;
    }
}
