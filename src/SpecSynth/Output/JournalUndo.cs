namespace SpecSynth.Output;

/// <summary>
/// Undo of one journal run, checked before anything is touched: every file must still hold the bytes
/// the run wrote (or, for a run that crashed half way, the bytes from before), unless forced.
/// </summary>
internal sealed class JournalUndo
{
    private readonly JournalManifest _run;
    private readonly string _runFolder;
    private readonly List<(JournalManifestFile Entry, string FullPath)> _deletes = [];
    private readonly List<(JournalManifestFile Entry, string FullPath)> _restores = [];

    private JournalUndo(JournalManifest run, string runFolder)
    {
        _run = run;
        _runFolder = runFolder;
    }

    /// <summary>Decides what to do for every file of <paramref name="run"/>; throws if a file changed since.</summary>
    public static JournalUndo Prepare(JournalManifest run, string runFolder, bool force)
    {
        if (!Directory.Exists(run.OutputRoot))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Cannot undo run {run.RunId}: its output folder '{run.OutputRoot}' no longer exists (moved or deleted?). " +
                "Nothing was touched and the run stays recorded; put the folder back and run `specsynth undo` again.");
        }
        var undo = new JournalUndo(run, runFolder);
        var changed = new List<string>();
        var realRoot = PathGuard.RealRoot(run.OutputRoot);
        foreach (var entry in run.Files)
        {
            var (_, full) = PathGuard.ConfineCore(run.OutputRoot, realRoot, entry.Path);
            var current = File.Exists(full) ? WriteJournal.Sha256(File.ReadAllBytes(full)) : null;
            var isCreated = entry.Action == "created";
            if (current == entry.Sha256 || (force && (current is not null || !isCreated)))
            {
                (isCreated ? undo._deletes : undo._restores).Add((entry, full));
            }
            else if (!(isCreated && current is null) && !(!isCreated && current == entry.PreviousSha256))
            {
                changed.Add(entry.Path);
            }
        }
        if (changed.Count > 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Cannot undo run {run.RunId}: {string.Join(", ", changed.Select(p => $"'{p}'"))} changed since specsynth wrote "
                + (changed.Count == 1 ? "it" : "them") + ". Nothing was touched. Save your edits elsewhere and undo with --force to discard them.");
        }
        return undo;
    }

    /// <summary>Whether undoing touches no file: every file the run wrote is gone or already back to its previous bytes.</summary>
    public bool IsEmpty => _deletes.Count == 0 && _restores.Count == 0;

    /// <summary>Deletes created files, restores modified ones, removes the folders the run created if empty.</summary>
    public UndoResult Apply()
    {
        foreach (var (_, full) in _deletes)
        {
            File.Delete(full);
        }
        foreach (var (entry, full) in _restores)
        {
            var backup = File.ReadAllBytes(Path.Combine(_runFolder, "backup", entry.Backup!));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            AtomicFile.Write(full, backup);
        }
        var removed = new List<string>();
        foreach (var dir in Enumerable.Reverse(_run.CreatedDirectories))
        {
            var full = Path.GetFullPath(Path.Combine(_run.OutputRoot, dir.Replace('/', Path.DirectorySeparatorChar)));
            if (RealPath.IsInside(full, _run.OutputRoot) && Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(full).Any())
            {
                Directory.Delete(full);
                removed.Add(dir);
            }
        }
        return new UndoResult(
            _run.RunId,
            _run.OutputRoot,
            [.. _deletes.Select(d => d.Entry.Path)],
            [.. _restores.Select(r => r.Entry.Path)],
            removed);
    }
}
