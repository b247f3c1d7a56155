using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace SpecSynth.Output;

/// <summary>
/// Records every write of <see cref="SafeFileWriter"/> so that <c>undo</c> can restore exactly what was there
/// before. Each run gets a folder <c>&lt;state&gt;/journal/&lt;runId&gt;/</c> holding <c>manifest.json</c>
/// (run id, UTC time, output folder, and per file: relative path, <c>created</c>|<c>modified</c>, SHA-256
/// of the new bytes, backup name) and <c>backup/</c> with the previous bytes of modified files.
/// </summary>
/// <remarks>
/// The manifest is written (temp file, flushed, renamed) with status <c>pending</c> before any output
/// file is touched, and set to <c>committed</c> afterwards, so a run that crashed half way can be undone
/// too. The pending manifest's status is written first in the file and padded to the length of <c>"committed"</c>, so the
/// run this journal began is committed by overwriting those 11 bytes in place, without a flush to disk (issue 19: the
/// third file, <c>fsync</c> and rename of every spec's write): a kill cannot tear a write of a few bytes within one page,
/// and after a power loss the run is at worst still <c>pending</c>, which undo handles like a run that crashed after
/// writing its files. Not safe for concurrent use by two processes on the same state folder.
/// </remarks>
public sealed class WriteJournal
{
    private static readonly byte[] StatusCommitted = "\"status\": \"committed\""u8.ToArray();
    private static readonly byte[] Committed = "\"committed\""u8.ToArray();
    private static readonly byte[] PaddedPending = "\"pending\"  "u8.ToArray();
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sequenceGate = new(1, 1);
    private readonly Lock _pendingGate = new();
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Begun> _begun = new(StringComparer.Ordinal);
    private long _lastSequence;
    private DateTime? _journalStamp;

    /// <summary>Creates a journal in <paramref name="stateDirectory"/> (created on first write).</summary>
    /// <param name="stateDirectory">specsynth's state folder; runs go to its <c>journal</c> subfolder.</param>
    /// <param name="timeProvider">The clock for run ids and times.</param>
    public WriteJournal(string stateDirectory, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        JournalDirectory = Path.Combine(Path.GetFullPath(stateDirectory), "journal");
        _time = timeProvider;
    }

    /// <summary>The folder holding one subfolder per run.</summary>
    public string JournalDirectory { get; }

    /// <summary>Hears warnings: a manifest that cannot be read is skipped (never a failure of the run reading the journal),
    /// with one warning naming it. <c>null</c> ignores them.</summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>Every readable recorded run, newest first (an unreadable manifest is skipped with a warning).</summary>
    public async Task<IReadOnlyList<JournalRun>> ListAsync(CancellationToken cancellationToken = default)
    {
        var manifests = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return [.. manifests.Select(ToRun)];
    }

    /// <summary>Undoes the most recent run that is not undone yet.</summary>
    /// <param name="force">Undo even files that changed since the run (their later edits are lost); without it, undo
    /// refuses when a file changed since.</param>
    /// <param name="cancellationToken">Checked before anything is touched.</param>
    /// <returns>What was undone.</returns>
    /// <exception cref="SpecSynthException">
    /// There is nothing to undo; the run's output folder is gone (moved or deleted); a committed run's files are all gone or
    /// already back (without <paramref name="force"/>); or (without <paramref name="force"/>) a file changed since the run
    /// (<see cref="ErrorKind.InvalidInput"/>). Nothing was touched and the run is not marked undone.
    /// </exception>
    public async Task<UndoResult> UndoLastAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        var manifests = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        SweepStrays(manifests);
        var run = manifests.FirstOrDefault(m => m.Status != "undone")
            ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"Nothing to undo: every run recorded in '{JournalDirectory}' is already undone.");
        var undo = JournalUndo.Prepare(run, RunFolder(run.RunId), force);
        if (undo.IsEmpty && !force && run.Status != "pending")
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Cannot undo run {run.RunId}: none of its {run.Files.Count} files is in '{run.OutputRoot}' as the run left it " +
                "(moved, deleted or already restored). Nothing was touched and the run stays recorded; " +
                "`specsynth undo --force` marks it undone anyway.");
        }
        cancellationToken.ThrowIfCancellationRequested();
        var result = undo.Apply();
        run.Status = "undone";
        run.UndoneUtc = _time.GetUtcNow();
        WriteManifest(run);
        return result;
    }

    /// <summary>Records a run as pending, with backups, before any output file is touched; returns its id.</summary>
    /// <exception cref="SpecSynthException">The state folder is not writable (<see cref="ErrorKind.InvalidInput"/>).</exception>
    internal async Task<string> BeginAsync(OutputPlan plan, IReadOnlyList<string> createdFolders, CancellationToken cancellationToken)
    {
        var sequence = await NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var manifest = new JournalManifest
        {
            RunId = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)),
            Sequence = sequence,
            CreatedUtc = now,
            OutputRoot = plan.RealRoot,
            WriterPid = Environment.ProcessId,
            CreatedDirectories = [.. createdFolders.Select(d => Relative(plan.RealRoot, d))],
        };
        var folder = RunFolder(manifest.RunId);
        try
        {
            // The run's folder (WriteManifest makes it) gets a backup folder only for a run that replaces a file: a
            // mkdir per new-file spec was a visible share of its system time (issue 19).
            foreach (var file in plan.Changes)
            {
                manifest.Files.Add(RecordFile(plan, file, folder, manifest.Files.Count + 1));
            }
            cancellationToken.ThrowIfCancellationRequested();
            var statusOffset = WritePendingManifest(manifest);
            Stamp();
            Watch(manifest.RunId, pending: true);
            _begun[manifest.RunId] = new Begun(manifest, statusOffset);
            return manifest.RunId;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            Discard(manifest.RunId);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Could not record the write journal in '{JournalDirectory}' ({ex.Message}); nothing was written. Check that the state folder is writable.", ex);
        }
    }

    /// <summary>Sets a run's status. A pending run this journal began is committed in place (<see cref="TryCommitInPlace"/>);
    /// otherwise the manifest is rewritten atomically. The manifest of a run this journal began is taken from memory (only
    /// this journal writes it), not read back and parsed again.</summary>
    internal async Task SetStatusAsync(string runId, JournalRunStatus status, CancellationToken cancellationToken)
    {
        var path = Path.Combine(RunFolder(runId), "manifest.json");
        var begun = _begun.TryRemove(runId, out var b) ? b : (Begun?)null;
        var manifest = begun?.Manifest
            ?? await ReadManifestAsync(path, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"the manifest of run {runId} cannot be read back");
        manifest.Status = status.ToString().ToLowerInvariant();
        if (!(status == JournalRunStatus.Committed && begun is { StatusOffset: >= 0 } pending && TryCommitInPlace(path, pending.StatusOffset)))
        {
            WriteManifest(manifest);
        }
        Watch(runId, pending: status == JournalRunStatus.Pending);
        if (status == JournalRunStatus.Pending)
        {
            _begun[runId] = new Begun(manifest, -1);
        }
    }

    /// <summary>Overwrites the padded <c>"pending"</c> at <paramref name="offset"/> of <paramref name="path"/> with
    /// <c>"committed"</c> (same length), without a flush to disk; <c>false</c> (nothing written) when the file does not hold
    /// the padded value there (rewritten meanwhile by someone else): the caller then rewrites the manifest whole.</summary>
    internal static bool TryCommitInPlace(string path, int offset)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> found = stackalloc byte[PaddedPending.Length];
        if (System.IO.RandomAccess.Read(handle, found, offset) != found.Length || !found.SequenceEqual(PaddedPending))
        {
            return false;
        }
        System.IO.RandomAccess.Write(handle, Committed, offset);
        return true;
    }

    /// <summary>Deletes a run that was fully rolled back (nothing to undo).</summary>
    internal void Discard(string runId)
    {
        Watch(runId, pending: false);
        _begun.TryRemove(runId, out _);
        try
        {
            Directory.Delete(RunFolder(runId), recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover pending run is harmless: undo finds every file at its previous bytes.
        }
    }

    /// <summary>
    /// The sequence of a new run: one more than the highest recorded. The journal is read (and the strays of killed
    /// writers swept) the first time, and again only when the journal folder changed since this journal last wrote to it
    /// (its modification time: another writer added or removed a run); otherwise the count goes on in memory, so a run
    /// of many specs does not read every earlier manifest for each new one (issue 19: that made each write cost more
    /// than the one before).
    /// </summary>
    private async Task<long> NextSequenceAsync(CancellationToken cancellationToken)
    {
        await _sequenceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_journalStamp is not { } stamp || stamp != JournalStamp())
            {
                var existing = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
                SweepStrays(existing);
                _lastSequence = existing.Count == 0 ? 0 : existing.Max(m => m.Sequence);
                lock (_pendingGate)
                {
                    _pending.Clear();
                    _pending.UnionWith(existing.Where(m => IsPending(m) && StrayTempFiles.IsAlive(m.WriterPid)).Select(m => m.RunId));
                }
            }
            else
            {
                await SweepWatchedAsync(cancellationToken).ConfigureAwait(false);
            }
            return ++_lastSequence;
        }
        finally
        {
            _sequenceGate.Release();
        }
    }

    /// <summary>Sweeps the pending runs whose writer was alive when last seen and has died since (their manifests only, not
    /// the whole journal); runs no longer pending are forgotten.</summary>
    private async Task SweepWatchedAsync(CancellationToken cancellationToken)
    {
        string[] watched;
        lock (_pendingGate)
        {
            watched = [.. _pending];
        }
        foreach (var runId in watched)
        {
            var path = Path.Combine(RunFolder(runId), "manifest.json");
            var manifest = File.Exists(path) ? await ReadManifestAsync(path, cancellationToken).ConfigureAwait(false) : null;
            if (manifest is not null && IsPending(manifest) && StrayTempFiles.IsAlive(manifest.WriterPid))
            {
                continue;
            }
            if (manifest is not null)
            {
                StrayTempFiles.Sweep(manifest, RunFolder(runId));
            }
            Watch(runId, pending: false);
        }
    }

    private static bool IsPending(JournalManifest manifest) => manifest.Status.Equals("pending", StringComparison.OrdinalIgnoreCase);

    private void Watch(string runId, bool pending)
    {
        lock (_pendingGate)
        {
            _ = pending ? _pending.Add(runId) : _pending.Remove(runId);
        }
    }

    /// <summary>Remembers the journal folder's modification time after this journal changed it.</summary>
    private void Stamp() => _journalStamp = JournalStamp();

    private DateTime? JournalStamp() => Directory.Exists(JournalDirectory) ? Directory.GetLastWriteTimeUtc(JournalDirectory) : null;

    internal static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static JournalManifestFile RecordFile(OutputPlan plan, PlannedFile file, string folder, int index)
    {
        var entry = new JournalManifestFile
        {
            Path = Relative(plan.RealRoot, file.FullPath),
            Action = file.OldBytes is null ? "created" : "modified",
            Sha256 = Sha256(file.NewBytes),
        };
        if (file.OldBytes is not null)
        {
            entry.PreviousSha256 = Sha256(file.OldBytes);
            entry.Backup = index.ToString("D4", CultureInfo.InvariantCulture) + ".bak";
            Directory.CreateDirectory(Path.Combine(folder, "backup"));
            AtomicFile.Write(Path.Combine(folder, "backup", entry.Backup), file.OldBytes);
        }
        return entry;
    }

    private static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static JournalRun ToRun(JournalManifest m) => new(
        m.RunId,
        m.CreatedUtc,
        m.OutputRoot,
        Enum.Parse<JournalRunStatus>(m.Status, ignoreCase: true),
        [.. m.Files.Select(f => new JournalFile(f.Path, f.Action == "created" ? FileAction.Created : FileAction.Modified, f.Sha256))]);

    private string RunFolder(string runId) => Path.Combine(JournalDirectory, runId);

    /// <summary>Every manifest, newest first (by sequence, then time, then id).</summary>
    private async Task<List<JournalManifest>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var result = new List<JournalManifest>();
        if (!Directory.Exists(JournalDirectory))
        {
            return result;
        }
        foreach (var dir in Directory.EnumerateDirectories(JournalDirectory))
        {
            var path = Path.Combine(dir, "manifest.json");
            if (File.Exists(path) && await ReadManifestAsync(path, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                result.Add(manifest);
            }
        }
        return [.. result.OrderByDescending(m => m.Sequence).ThenByDescending(m => m.CreatedUtc).ThenByDescending(m => m.RunId, StringComparer.Ordinal)];
    }

    /// <summary>One manifest, or <c>null</c> (with a warning) when it cannot be read or makes no sense: one bad manifest
    /// must not stop every later run in every project.</summary>
    private async Task<JournalManifest?> ReadManifestAsync(string path, CancellationToken cancellationToken, bool retried = false)
    {
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var manifest = await JsonSerializer.DeserializeAsync(stream, JournalJsonContext.Default.JournalManifest, cancellationToken).ConfigureAwait(false);
                return manifest is { RunId.Length: > 0, OutputRoot.Length: > 0, Files: not null, CreatedDirectories: not null }
                    && manifest.Files.All(f => f is { Path.Length: > 0, Sha256.Length: > 0 })
                    && Enum.TryParse<JournalRunStatus>(manifest.Status, ignoreCase: true, out _)
                    ? manifest
                    : throw new JsonException("missing run id, output folder or files, or unknown status");
            }
        }
        catch (JsonException) when (!retried)
        {
            // A run being committed in place by another process at this very moment can be read half old, half new: read again.
            return await ReadManifestAsync(path, cancellationToken, retried: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            if (!_warned.TryAdd(path, true))
            {
                return null;
            }
            OnWarning?.Invoke($"the write journal manifest '{path}' is unreadable ({ex.Message}); its run is skipped " +
                "(it cannot be undone). Delete its folder to silence this warning.");
            return null;
        }
    }

    /// <summary>Removes the temporary files of pending runs whose writer was killed.</summary>
    private void SweepStrays(List<JournalManifest> manifests)
    {
        foreach (var manifest in manifests)
        {
            StrayTempFiles.Sweep(manifest, RunFolder(manifest.RunId));
        }
    }

    /// <summary>Writes the manifest of a new run (pending) like <see cref="WriteManifest"/>, its status value padded to the length
    /// of <c>"committed"</c>; returns the offset of that value in the file (or -1 when it is not where it is expected, and the
    /// run is then committed by a whole rewrite).</summary>
    private int WritePendingManifest(JournalManifest manifest)
    {
        var folder = RunFolder(manifest.RunId);
        Directory.CreateDirectory(folder);
        manifest.Status = "committed";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, JournalJsonContext.Default.JournalManifest);
        manifest.Status = "pending";
        var offset = bytes.AsSpan(0, Math.Min(bytes.Length, 64)).IndexOf(StatusCommitted);
        if (offset < 0)
        {
            WriteManifest(manifest);
            return -1;
        }
        offset += StatusCommitted.Length - Committed.Length;
        PaddedPending.CopyTo(bytes.AsSpan(offset));
        AtomicFile.Write(Path.Combine(folder, "manifest.json"), bytes);
        return offset;
    }

    private void WriteManifest(JournalManifest manifest)
    {
        var folder = RunFolder(manifest.RunId);
        Directory.CreateDirectory(folder);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, JournalJsonContext.Default.JournalManifest);
        AtomicFile.Write(Path.Combine(folder, "manifest.json"), bytes);
    }

    /// <summary>A run this journal began: its manifest, and the offset of the padded pending status in its file (-1: none).</summary>
    private readonly record struct Begun(JournalManifest Manifest, int StatusOffset);
}
