namespace SpecSynth.Output;

/// <summary>
/// Applies an <see cref="OutputPlan"/> all or nothing. Each file is written to a temporary file in its own
/// folder (<c>.specsynth-tmp-&lt;guid&gt;</c>), flushed to disk, then renamed over the target, so a reader
/// sees either the old or the new file, never half of one. If any file fails, the files already
/// written are put back byte for byte, created files and folders are removed, and no temporary file is
/// left. Content is written as UTF-8 without a BOM, line endings exactly as given.
/// </summary>
/// <remarks>
/// With a <see cref="WriteJournal"/>, the run is recorded (with backups of the files it replaces) before
/// any file is touched, so <see cref="WriteJournal.UndoLastAsync(bool, CancellationToken)"/> can restore what
/// was there, even after a crash half way. Just before replacing each file, the writer checks that the
/// file (and the links on its path) are still as the plan saw them. Not safe for two writers on the same
/// output folder at once.
/// </remarks>
/// <param name="journal">Where runs are recorded for <c>undo</c>; <c>null</c> writes without a journal.</param>
internal sealed class SafeFileWriter(WriteJournal? journal = null)
{
    /// <summary>Test seam: runs after a file's temp copy is flushed, just before it is renamed over the target.</summary>
    internal Action<PlannedFile>? BeforeReplace { get; set; }

    /// <summary>Writes every created or modified file of <paramref name="plan"/>; unchanged files are not touched.</summary>
    /// <param name="plan">The checked plan.</param>
    /// <param name="cancellationToken">Checked between files; a cancelled run is rolled back.</param>
    /// <returns>The journal run id for <c>undo</c>, or <c>null</c> when nothing changed or there is no journal.</returns>
    /// <exception cref="SpecSynthException">
    /// A file could not be written, or changed on disk since the plan was made (<see cref="ErrorKind.InvalidInput"/>);
    /// everything was rolled back. If even the rollback failed, the message says so and names the files.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled; everything was rolled back.</exception>
    public async Task<string?> WriteAsync(OutputPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        cancellationToken.ThrowIfCancellationRequested();
        var changes = plan.Changes;
        if (changes.Count == 0)
        {
            return null;
        }
        var missing = MissingFolders(plan, changes);
        var runId = journal is null ? null : await journal.BeginAsync(plan, missing, cancellationToken).ConfigureAwait(false);
        var done = new List<PlannedFile>();
        var createdFolders = new List<string>();
        try
        {
            foreach (var file in changes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                EnsureUnchangedSincePlan(plan, file);
                CreateFolders(Path.GetDirectoryName(file.FullPath)!, missing, createdFolders);
                AtomicFile.Write(file.FullPath, file.NewBytes, () => BeforeReplace?.Invoke(file));
                done.Add(file);
            }
        }
        catch (Exception ex)
        {
            var failures = RollBack(done, createdFolders);
            if (failures.Count > 0)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"Writing failed ({ex.Message}) and the rollback failed too: {string.Join("; ", failures)}. "
                    + (runId is null ? "Check these files by hand." : $"Run `specsynth undo` to restore run {runId}."), ex);
            }
            if (runId is not null)
            {
                journal!.Discard(runId);
            }
            if (ex is IOException or UnauthorizedAccessException)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"Could not write the generated files: {ex.Message}. Nothing was changed (every file was rolled back).", ex);
            }
            throw;
        }
        if (runId is not null)
        {
            await MarkCommittedAsync(journal!, runId).ConfigureAwait(false);
        }
        return runId;
    }

    /// <summary>Every file is written; a run left pending (state folder gone read-only) is undone just the same.</summary>
    private static async Task MarkCommittedAsync(WriteJournal journal, string runId)
    {
        try
        {
            await journal.SetStatusAsync(runId, JournalRunStatus.Committed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The files are written and the pending manifest still describes them exactly.
        }
    }

    /// <summary>The folders (real, absolute, shallowest first) that writing the changes will create.</summary>
    private static List<string> MissingFolders(OutputPlan plan, IReadOnlyList<PlannedFile> changes)
    {
        var missing = new List<string>();
        foreach (var file in changes)
        {
            var chain = new Stack<string>();
            for (var dir = Path.GetDirectoryName(file.FullPath); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            {
                chain.Push(dir);
                if (dir.Equals(plan.RealRoot, RealPath.Comparison))
                {
                    break;
                }
            }
            foreach (var dir in chain)
            {
                if (!missing.Contains(dir, StringComparer.Ordinal))
                {
                    missing.Add(dir);
                }
            }
        }
        return missing;
    }

    private static void CreateFolders(string folder, List<string> missing, List<string> created)
    {
        foreach (var dir in missing.Where(d => RealPath.IsInside(folder, d) && !Directory.Exists(d)))
        {
            Directory.CreateDirectory(dir);
            created.Add(dir);
        }
    }

    private static void EnsureUnchangedSincePlan(OutputPlan plan, PlannedFile file)
    {
        var (_, real) = PathGuard.ConfineCore(plan.OutputRoot, plan.RealRoot, file.Path);
        var same = real.Equals(file.FullPath, RealPath.Comparison) && !Directory.Exists(real) && (file.OldBytes is null
            ? !Path.Exists(real) && new FileInfo(real).LinkTarget is null
            : File.Exists(real) && File.ReadAllBytes(real).AsSpan().SequenceEqual(file.OldBytes));
        if (!same)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"'{file.Path}' changed on disk after the output plan was made. Run the command again.");
        }
    }

    private static List<string> RollBack(List<PlannedFile> done, List<string> createdFolders)
    {
        var failures = new List<string>();
        foreach (var file in Enumerable.Reverse(done))
        {
            try
            {
                if (file.OldBytes is null)
                {
                    File.Delete(file.FullPath);
                }
                else
                {
                    AtomicFile.Write(file.FullPath, file.OldBytes);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"'{file.Path}': {ex.Message}");
            }
        }
        foreach (var dir in Enumerable.Reverse(createdFolders))
        {
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Directory.Delete(dir);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"folder '{dir}': {ex.Message}");
            }
        }
        return failures;
    }
}
