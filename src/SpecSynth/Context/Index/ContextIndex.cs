using System.IO.Hashing;
using System.Text;
using SpecSynth.Context.Relevance;
using SpecSynth.Projects;
using Worker = (SpecSynth.Context.Index.RecordScanner Records, SpecSynth.Context.Relevance.ContentScanner Scanner,
    SpecSynth.Context.Relevance.FileContent Content, SpecSynth.Context.Index.RowSpill.Buffer[]? Rows);

namespace SpecSynth.Context.Index;

/// <summary>
/// The persistent per-project context index: for every rankable file, what <see cref="RecordScanner"/> found in it
/// (hashes and counts, no text), known by its <see cref="FileSignature"/>. A ranking reads only the files that are new
/// or changed since the last one and rewrites the index when something changed. The index is a cache: a missing,
/// truncated or altered index, or another process writing at the same time, changes how long a ranking takes, never
/// what it ranks. Indexes are keyed by the project's real path and capped in total size (least recently used go
/// first). Secret files are never ranked, so never indexed. Thread-safe.
/// </summary>
internal sealed class ContextIndex
{
    /// <summary>Up to this many files to read are read on the calling thread, not in a parallel loop.</summary>
    internal const int InlineReads = 16;

    private readonly ContextIndexOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates an index store.</summary>
    /// <param name="options">Where and how large.</param>
    /// <param name="time">The clock that marks an index as used (least recently used go first).</param>
    public ContextIndex(ContextIndexOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <summary>What the last ranking took from the index (for benchmarks and tests; the last to finish when rankings overlap).</summary>
    public IndexScanStats? Last { get; private set; }

    /// <summary>The index of the configuration <paramref name="context"/> under <paramref name="stateDir"/>, or <c>null</c> when it is
    /// off; with <c>[context] index_build = "background"</c>, <paramref name="deferral"/> (the host's, or <c>null</c>: inline)
    /// decides whether a ranking with no usable index ranks without it.</summary>
    public static ContextIndex? For(string stateDir, Config.ContextOptions context, TimeProvider time, IndexDeferral? deferral = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Index
            ? new ContextIndex(new ContextIndexOptions(Path.Combine(stateDir, ContextIndexOptions.FolderName), context.IndexMaxMb * 1024L * 1024)
            {
                Deferral = context.IndexBuild == "background" ? deferral : null,
            }, time)
            : null;
    }

    /// <summary>The index file of the project at <paramref name="root"/> (by its real path).</summary>
    public string PathFor(string root)
    {
        var key = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(RealPath.Of(root)));
        return Path.Combine(_options.Folder, key.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + IndexFile.Extension);
    }

    /// <summary>Fills what <see cref="ContentScanner"/> would find in each candidate, from the index where it can; <c>false</c>
    /// (nothing filled) when there is no usable index and <see cref="ContextIndexOptions.Deferral"/> leaves its build to the
    /// host: the caller then scans every candidate without the index.</summary>
    internal bool Scan(SpecQuery query, List<Candidate> candidates, ProjectContext project, RelevanceOptions relevance,
        FileSignals?[] signals, int[] lengths, bool[] unreadable, bool[] loaded, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var indexPath = PathFor(project.Root);
        using var opened = BitConverter.IsLittleEndian ? IndexSnapshot.TryOpen(indexPath) : null;
        if (opened is null && _options.Deferral is { } deferral && deferral.Defer(project.Root, indexPath))
        {
            return false;
        }
        var snapshot = opened;
        var loadedAt = _time.GetTimestamp();
        var n = candidates.Count;
        var max = relevance.MaxFileBytes;
        var keys = new FileSignature?[n];
        var isContent = new bool[n];
        var reuse = new int[n];
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, relevance.MaxParallelism) };
        // Signatures the walk did not take (and texts to hash) on every core; a warm ranking over a walk's entries has none.
        var unsigned = 0;
        for (var i = 0; i < n; i++)
        {
            var candidate = candidates[i];
            if (candidate.Content is not null || (candidate.Bytes > 0 && candidate.Bytes <= max && candidate.Signature is null))
            {
                unsigned++;
            }
            else if (candidate.Bytes > 0 && candidate.Bytes <= max)
            {
                keys[i] = candidate.Signature;
            }
        }
        if (unsigned > 0)
        {
            Parallel.For(0, n, parallel, i =>
            {
                var candidate = candidates[i];
                if (candidate.Content is { } text)
                {
                    isContent[i] = true;
                    keys[i] = new FileSignature(text.Length, 0, 0, IndexHash.Content(text));
                }
                else if (candidate.Bytes > 0 && candidate.Bytes <= max && candidate.Signature is null)
                {
                    keys[i] = FileSignature.Of(candidate.FullPath);
                }
            });
        }
        // Candidates come in ordinal path order, as the segments store their entries: each is compared with the entry after
        // the last one found (no path decoded, no table of paths built).
        var hints = default(IndexSnapshot.Hints);
        for (var i = 0; i < n; i++)
        {
            reuse[i] = snapshot is not null && keys[i] is { } key ? snapshot.Find(candidates[i].Path, isContent[i], key, ref hints) : -1;
        }

        var signed = _time.GetTimestamp();
        var indexQuery = new IndexQuery(query);
        var again = new bool[n];
        if (snapshot is not null && !indexQuery.Answer(snapshot, reuse, signals, lengths, unreadable, loaded, again, ct))
        {
            // A damaged index: forget what it said and scan everything.
            snapshot = null;
            Array.Fill(reuse, -1);
            Array.Clear(signals);
            Array.Clear(lengths);
            Array.Clear(unreadable);
            Array.Clear(loaded);
            Array.Clear(again);
        }
        var fresh = new byte[]?[n];
        var rescanned = 0;
        var scanned = 0;
        // With nothing to reuse, every file is fresh: its rows go straight to spills (one per table) as it is scanned,
        // and only what the segment's head keeps of it stays in memory.
        var spills = snapshot is null ? NewSpills() : null;
        var reused = 0;
        var todo = new List<int>();
        for (var i = 0; i < n; i++)
        {
            reused += reuse[i] >= 0 ? 1 : 0;
            if (reuse[i] >= 0 ? again[i] : candidates[i].Content is not null || (candidates[i].Bytes > 0 && candidates[i].Bytes <= max))
            {
                todo.Add(i);
            }
        }
        var work = todo.Count > 0;
        try
        {
            // A warm ranking over an unchanged tree reads nothing: no workers (and their scanners) are set up for it.
            if (work)
            {
                // Only the candidates with something to read (a warm ranking over a few changed files visits those few).
                // A few are read on this thread: Parallel.For's code over the worker tuple is compiled by the JIT on first
                // use (the generic loop is not precompiled), which costs more than reading them (session 7, helper warmcpu).
                if (todo.Count <= InlineReads)
                {
                    var worker = NewWorker();
                    try
                    {
                        for (var k = 0; k < todo.Count; k++)
                        {
                            ct.ThrowIfCancellationRequested();
                            Read(k, worker);
                        }
                    }
                    finally
                    {
                        Done(worker);
                    }
                }
                else
                {
                    Parallel.For(0, todo.Count, parallel, NewWorker, (k, _, worker) =>
                    {
                        Read(k, worker);
                        return worker;
                    }, Done);
                }
            }
            ct.ThrowIfCancellationRequested();
            if (spills is not null)
            {
                foreach (var spill in spills)
                {
                    spill.Finish();
                }
            }

            var read = _time.GetTimestamp();
            var written = Save(indexPath, project, candidates, snapshot, keys, isContent, reuse, fresh, spills, ct);
            Last = new IndexScanStats(snapshot is not null, reused, scanned, rescanned, written,
                Ms(started, loadedAt), Ms(loadedAt, signed), Ms(signed, read), Ms(read, _time.GetTimestamp()));
            return true;
        }
        finally
        {
            if (spills is not null)
            {
                foreach (var spill in spills)
                {
                    spill.Dispose();
                }
            }
        }

        Worker NewWorker() => (new RecordScanner(), new ContentScanner(query), new FileContent(), spills?.Select(s => s.Rent()).ToArray());

        void Read(int k, Worker worker)
        {
            var i = todo[k];
            var candidate = candidates[i];
            if (reuse[i] >= 0)
            {
                if (again[i])
                {
                    Interlocked.Increment(ref rescanned);
                    var text = worker.Content.Load(candidate, max, out unreadable[i], out loaded[i]);
                    lengths[i] = 0;
                    signals[i] = loaded[i] ? worker.Scanner.Scan(text, candidate.Kind, out lengths[i]) : null;
                }
                return;
            }
            if (candidate.Content is null && (candidate.Bytes <= 0 || candidate.Bytes > max))
            {
                return; // never read, as FileContent would not read it
            }
            Interlocked.Increment(ref scanned);
            var bytes = worker.Content.Load(candidate, max, out unreadable[i], out loaded[i]);
            if (!loaded[i])
            {
                fresh[i] = unreadable[i] && keys[i] is not null ? FileRecord.Unloaded(unreadable: true).Encode() : null;
                return;
            }
            var blob = worker.Records.ScanInto(bytes, candidate.Kind, out var storable);
            var view = new RecordView(blob);
            lengths[i] = view.Words;
            signals[i] = indexQuery.Signals(view, out var rescan);
            if (keys[i] is not null && storable)
            {
                if (worker.Rows is { } rows)
                {
                    fresh[i] = FileRecord.HeadOnly(view);
                    AddRows(rows, view, i);
                }
                else
                {
                    fresh[i] = blob.ToArray();
                }
            }
            if (rescan)
            {
                Interlocked.Increment(ref rescanned);
                signals[i] = worker.Scanner.Scan(bytes, candidate.Kind, out lengths[i]);
            }
        }

        void Done(Worker worker)
        {
            worker.Content.Dispose();
            for (var t = 0; t < (worker.Rows?.Length ?? 0); t++)
            {
                spills![t].Return(worker.Rows![t]);
            }
        }
    }

    /// <summary>One spill per table in the index folder, each bounded so that its segment could fit the size cap.</summary>
    private RowSpill[] NewSpills()
    {
        var spills = new RowSpill[IndexFile.Tables];
        for (var t = 0; t < spills.Length; t++)
        {
            spills[t] = new RowSpill(_options.Folder, _options.MaxBytes / IndexFile.RowWidths[t], _options.SpillBufferRows);
        }
        return spills;
    }

    /// <summary>Hands the rows of a fresh record to the spills, known by the candidate's index.</summary>
    private static void AddRows(RowSpill.Buffer[] rows, RecordView record, int id)
    {
        var hashes = record.TermHashes;
        var counts = record.TermCounts;
        var terms = rows[IndexFile.TermTable];
        for (var k = 0; k < hashes.Length; k++)
        {
            terms.Add(hashes[k], id, counts[k], k);
        }
        var declared = record.Declared;
        var declaredCounts = record.DeclaredCounts;
        for (var k = 0; k < declared.Length; k++)
        {
            rows[IndexFile.DeclaredTable].Add(declared[k], id, declaredCounts[k], 0);
        }
        foreach (var key in record.Routes)
        {
            rows[IndexFile.RouteTable].Add(key, id, 0, 0);
        }
    }

    private double Ms(long from, long to) => Math.Round(_time.GetElapsedTime(from, to).TotalMilliseconds, 1);

    /// <summary>Keeps what this ranking learnt: a new base segment when there was none (or it was damaged), else the
    /// changed files in the delta segment — rewritten whole, it stays small — until the delta outgrows
    /// <see cref="DeltaShare"/> of the base, when both are compacted into a new base.</summary>
    private int Save(string indexPath, ProjectContext project, List<Candidate> candidates, IndexSnapshot? snapshot, FileSignature?[] keys,
        bool[] isContent, int[] reuse, byte[]?[] fresh, RowSpill[]? spills, CancellationToken ct)
    {
        var deltaPath = IndexFile.DeltaPathOf(indexPath);
        var root = RealPath.Of(project.Root);
        try
        {
            if (snapshot is null)
            {
                var sources = new List<IndexSource>();
                for (var i = 0; i < candidates.Count; i++)
                {
                    if (keys[i] is { } key && fresh[i] is { } blob)
                    {
                        sources.Add(new IndexSource(candidates[i].Path, isContent[i], key, blob, null, 0, spills is null ? -1 : i));
                    }
                }
                TryDelete(new FileInfo(deltaPath));
                if (spills is not null && spills.Any(s => s.Failed))
                {
                    return 0; // too large for the cap, or the spill could not be written: no index this time
                }
                return WriteSegment(indexPath, root, 0, sources, ct, spills: spills);
            }
            var baseCount = snapshot.Base.EntryArray.Length;
            var delta = snapshot.Delta;
            var nothingFresh = Array.TrueForAll(fresh, f => f is null);
            if ((nothingFresh && (delta is null || CountAtLeast(reuse, baseCount) == delta.EntryArray.Length))
                || (!nothingFresh && !AnySettled(fresh, keys, isContent)))
            {
                // Nothing new and the delta's every entry still stands, or every fresh record is one the writer would
                // leave out (files saved within the racy window, as right after an edit: their old entries no longer
                // match, so they are read again next time): the index stays as it is, marked as used.
                Touch(indexPath);
                if (delta is not null)
                {
                    Touch(deltaPath);
                }
                return 0;
            }
            // What the candidates cover, built only when an old delta entry is not reused (a warm ranking reuses them all).
            HashSet<(string, bool)>? coveredSet = null;
            bool Covered(string path, bool content)
            {
                if (coveredSet is null)
                {
                    coveredSet = new HashSet<(string, bool)>(candidates.Count);
                    for (var i = 0; i < candidates.Count; i++)
                    {
                        coveredSet.Add((candidates[i].Path, isContent[i]));
                    }
                }
                return coveredSet.Contains((path, content));
            }
            var changed = false;
            long freshBytes = 0;
            var kept = new List<IndexSource>();
            var reusedDelta = new bool[delta?.Entries.Count ?? 0];
            for (var i = 0; i < candidates.Count; i++)
            {
                var path = candidates[i].Path;
                if (keys[i] is not { } key)
                {
                    continue;
                }
                if (fresh[i] is { } blob)
                {
                    kept.Add(new IndexSource(path, isContent[i], key, blob, null, 0));
                    freshBytes += blob.Length;
                    changed = true;
                }
                else if (reuse[i] >= baseCount)
                {
                    kept.Add(new IndexSource(path, isContent[i], key, null, delta, reuse[i] - baseCount));
                    reusedDelta[reuse[i] - baseCount] = true;
                }
            }
            HashSet<string>? tree = null;
            bool InTree(string path)
            {
                if (tree is null)
                {
                    tree = new HashSet<string>(project.Tree, StringComparer.Ordinal);
                    foreach (var candidate in candidates)
                    {
                        tree.Add(candidate.Path);
                    }
                }
                return tree.Contains(path);
            }
            for (var e = 0; e < reusedDelta.Length; e++)
            {
                if (reusedDelta[e])
                {
                    continue;
                }
                var entry = delta!.EntryArray[e];
                var entryPath = delta.PathOf(e);
                if (!Covered(entryPath, entry.Content) && InTree(entryPath))
                {
                    kept.Add(new IndexSource(entryPath, entry.Content, entry.Signature, null, delta, e));
                }
                else
                {
                    changed = true; // replaced by a new record, or dropped
                }
            }
            if (!changed)
            {
                // Every entry still stands and nothing is new: the index stays as it is, marked as used.
                Touch(indexPath);
                if (delta is not null)
                {
                    Touch(deltaPath);
                }
                return 0;
            }
            var deltaBytes = freshBytes + (delta is null ? 0 : delta.Length * kept.Count(k => k.From == delta) / Math.Max(1, delta.Entries.Count));
            if (deltaBytes <= snapshot.Base.Length * DeltaShare)
            {
                return WriteSegment(deltaPath, root, snapshot.Base.Id, kept, ct, evict: indexPath);
            }
            // Compaction: the base's entries that still stand (unless a newer one is kept) join the delta's.
            var keptKeys = new HashSet<(string, bool)>(kept.Select(k => (k.Path, k.Content)));
            var usedBase = new bool[baseCount];
            foreach (var r in reuse)
            {
                if (r >= 0 && r < baseCount)
                {
                    usedBase[r] = true;
                }
            }
            for (var e = 0; e < baseCount; e++)
            {
                var entry = snapshot.Base.EntryArray[e];
                var entryPath = snapshot.Base.PathOf(e);
                var used = usedBase[e];
                if (!keptKeys.Contains((entryPath, entry.Content))
                    && (used || (!Covered(entryPath, entry.Content) && InTree(entryPath))))
                {
                    kept.Add(new IndexSource(entryPath, entry.Content, entry.Signature, null, snapshot.Base, e));
                }
            }
            try
            {
                var count = WriteSegment(indexPath, root, 0, kept, ct);
                TryDelete(new FileInfo(deltaPath));
                return count;
            }
            catch (InvalidDataException)
            {
                // A damaged page nobody read until now: start again from nothing next time.
                TryDelete(new FileInfo(indexPath));
                TryDelete(new FileInfo(deltaPath));
                return 0;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return 0; // a cache that cannot be written is only slower next time
        }
    }

    /// <summary>Whether the writer would keep any of the <paramref name="fresh"/> records: one known by its text, or
    /// of a file that has not changed within the racy window (by the file system's clock, as the writer tells).</summary>
    private bool AnySettled(byte[]?[] fresh, FileSignature?[] keys, bool[] isContent)
    {
        long? now = null;
        for (var i = 0; i < fresh.Length; i++)
        {
            if (fresh[i] is null)
            {
                continue;
            }
            if (isContent[i])
            {
                return true;
            }
            now ??= IndexWriter.FileSystemNow(_options.Folder);
            if (keys[i] is { } key && IndexWriter.Settled(key, now.Value, _options.RacyWindow))
            {
                return true;
            }
        }
        return false;
    }

    private static int CountAtLeast(int[] values, int least)
    {
        var count = 0;
        foreach (var value in values)
        {
            count += value >= least ? 1 : 0;
        }
        return count;
    }

    /// <summary>A delta segment larger than this share of its base is compacted with it into a new base.</summary>
    internal const double DeltaShare = 0.125;

    private int WriteSegment(string path, string root, ulong baseId, List<IndexSource> sources, CancellationToken ct, string? evict = null,
        RowSpill[]? spills = null)
    {
        ct.ThrowIfCancellationRequested();
        sources.Sort((a, b) => a.Path != b.Path ? string.CompareOrdinal(a.Path, b.Path) : a.Content.CompareTo(b.Content));
        var count = IndexWriter.Write(path, root, baseId, sources, _options.RacyWindow, ct, spills: spills);
        Touch(path);
        if (evict is not null)
        {
            Touch(evict);
        }
        Evict(evict ?? path);
        return count;
    }

    private void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes the least recently used indexes until all fit in the cap (the newest is kept first; one that
    /// alone exceeds the cap goes too), and temporary files a crashed writer left.</summary>
    private void Evict(string current)
    {
        var folder = new DirectoryInfo(_options.Folder);
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var temp in folder.EnumerateFiles("*.tmp"))
        {
            if (now - temp.LastWriteTimeUtc > TimeSpan.FromHours(1))
            {
                TryDelete(temp);
            }
        }
        // Newest first, the current index first among equals (a sort by a comparison: no code to compile for a key type).
        var files = folder.GetFiles("*" + IndexFile.Extension);
        Array.Sort(files, (a, b) => b.LastWriteTimeUtc.CompareTo(a.LastWriteTimeUtc) is var c and not 0 ? c
            : a.FullName == current ? (b.FullName == current ? 0 : -1)
            : b.FullName == current ? 1 : string.CompareOrdinal(a.FullName, b.FullName));
        long total = 0;
        foreach (var file in files)
        {
            total += file.Length;
            if (total > _options.MaxBytes)
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
