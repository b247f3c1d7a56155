using System.Collections.Frozen;
using System.IO.Enumeration;
using SpecSynth.Context.Index;

namespace SpecSynth.Projects;

/// <summary>
/// Lists a project's files depth-first in ordinal order: prunes build and tool folders, honours
/// <c>.gitignore</c>/<c>.specsynthignore</c> files at every level plus extra patterns, never follows directory
/// links and skips entries it cannot read.
/// </summary>
internal sealed class ProjectWalker
{
    internal const string SpecSynthIgnoreFile = ".specsynthignore";

    private const string GitIgnoreFile = ".gitignore";

    private static readonly FrozenSet<string> PrunedDirectories = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".git", "bin", "obj", "node_modules", ".vs", ".idea", "__pycache__", ".venv", "venv", "target", "dist",
        "build", ".specsynth");

    private static readonly EnumerationOptions Enumeration = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.None,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Threads that list folders at once: the cores, at most four (a walk is mostly system calls).</summary>
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount, 1, 4);

    private readonly int _maxFiles;
    private readonly GitIgnore _overrides;
    private readonly ProjectScanOptions _options;
    private readonly string _optionsKey;

    public ProjectWalker(ProjectScanOptions options)
    {
        _options = options;
        _maxFiles = options.MaxFiles;
        _overrides = GitIgnore.Parse(options.IgnorePatterns);
        _optionsKey = WalkCache.OptionsKey(options);
    }

    /// <summary>What the last walk took from its cache (for benchmarks and tests; the last to finish when walks overlap).</summary>
    public WalkStats? Last { get; private set; }

    /// <summary>The files under <paramref name="root"/>, at most <see cref="ProjectScanOptions.MaxFiles"/>: the first ones
    /// in a depth-first walk in ordinal order, then sorted by path. The folders are listed on every core first (until the
    /// folders listed hold <see cref="ProjectScanOptions.MaxFiles"/> files), then the files are taken depth-first from
    /// those listings (listing, in order, any folder not listed yet), so the result never depends on the threads. With a
    /// <see cref="ProjectScanOptions.CacheFolder"/>, a folder whose signature is unchanged since the last walk is not listed
    /// again (its listing comes from the <see cref="WalkCache"/>); the result is the same.</summary>
    public List<WalkEntry> Walk(string root, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var run = StartRun(root);
        var top = new Folder(root, "", null) { ChainUnchanged = run.Cached is not null };
        ListAhead(run, top, ct);
        List<WalkEntry> found;
        if (Fits(run, top, ct) is { } total)
        {
            // Every file is taken: taken in path order straight away (no sort).
            found = new List<WalkEntry>(total);
            TakeInPathOrder(top, found, ct);
        }
        else
        {
            found = TakeFirst(run, top, ct);
            found.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        }
        Last = FinishRun(run, ct);
        return found;
    }

    /// <summary>How many files the whole tree holds when that is at most <see cref="ProjectScanOptions.MaxFiles"/> (every
    /// folder then listed), else <c>null</c>. Lists, depth-first in ordinal order, the folders not listed yet: the ones the
    /// files would be taken from in that order.</summary>
    private int? Fits(WalkRun run, Folder top, CancellationToken ct)
    {
        var total = 0;
        var pending = new Stack<Folder>();
        pending.Push(top);
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            if (folder.Files is null)
            {
                List(run, folder);
            }
            total += folder.Files!.Count;
            if (total > _maxFiles)
            {
                return null;
            }
            for (var i = folder.Subfolders!.Count - 1; i >= 0; i--)
            {
                pending.Push(folder.Subfolders[i]);
            }
        }
        return total;
    }

    /// <summary>Every file of the listed tree in ordinal path order: a folder's files and subfolders merged by path (a
    /// subfolder as its path with the trailing <c>/</c>, which every path under it starts with), each subfolder's files
    /// taken where it falls. The same order as sorting every path, without the sort.</summary>
    private static void TakeInPathOrder(Folder top, List<WalkEntry> found, CancellationToken ct)
    {
        var open = new Stack<Folder>();
        InPathOrder(top);
        open.Push(top);
        while (open.Count > 0)
        {
            var folder = open.Peek();
            var files = folder.Files!;
            var subfolders = folder.Subfolders!;
            while (folder.NextFile < files.Count
                && (folder.NextSubfolder >= subfolders.Count || string.CompareOrdinal(files[folder.NextFile].RelativePath, subfolders[folder.NextSubfolder].Prefix) < 0))
            {
                found.Add(files[folder.NextFile++]);
            }
            if (folder.NextSubfolder < subfolders.Count)
            {
                ct.ThrowIfCancellationRequested();
                var next = subfolders[folder.NextSubfolder++];
                InPathOrder(next);
                open.Push(next);
                continue;
            }
            open.Pop();
            folder.Forget();
        }
    }

    /// <summary>Puts <paramref name="folder"/>'s subfolders in the order of their paths with the trailing <c>/</c> (listed by
    /// name: "a" before "a-b", but "a-b/" before "a/"); nothing to do for most folders.</summary>
    private static void InPathOrder(Folder folder)
    {
        var subfolders = folder.Subfolders!;
        for (var i = 1; i < subfolders.Count; i++)
        {
            if (string.CompareOrdinal(subfolders[i - 1].Prefix, subfolders[i].Prefix) > 0)
            {
                var sorted = new List<Folder>(subfolders);
                sorted.Sort((a, b) => string.CompareOrdinal(a.Prefix, b.Prefix));
                folder.Subfolders = sorted;
                return;
            }
        }
    }

    /// <summary>The first <see cref="ProjectScanOptions.MaxFiles"/> files of a depth-first walk in ordinal order (by name).</summary>
    private List<WalkEntry> TakeFirst(WalkRun run, Folder top, CancellationToken ct)
    {
        var found = new List<WalkEntry>();
        var pending = new Stack<Folder>();
        pending.Push(top);
        while (pending.Count > 0 && found.Count < _maxFiles)
        {
            ct.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            if (folder.Files is null)
            {
                List(run, folder);
            }
            foreach (var file in folder.Files!)
            {
                if (found.Count >= _maxFiles)
                {
                    break;
                }
                found.Add(file);
            }
            for (var i = folder.Subfolders!.Count - 1; i >= 0; i--)
            {
                pending.Push(folder.Subfolders[i]);
            }
            folder.Forget();
        }
        return found;
    }

    private WalkRun StartRun(string root)
    {
        if (_options.CacheFolder is not { } folder)
        {
            return new WalkRun(null, null, "");
        }
        var realRoot = RealPath.Of(root);
        var path = WalkCache.PathFor(folder, realRoot, _optionsKey);
        return new WalkRun(path, WalkCache.TryLoad(path, realRoot, _optionsKey, _options.CacheRacyWindow), realRoot);
    }

    private WalkStats FinishRun(WalkRun run, CancellationToken ct)
    {
        var written = false;
        if (run.CachePath is { } path && !ct.IsCancellationRequested)
        {
            if (run.Changed || run.Cached is null || run.Records.Count != run.Cached.Count)
            {
                WalkCache.Save(path, run.RealRoot, _optionsKey, run.Records, _options.CacheMaxBytes);
                written = true;
            }
            else
            {
                WalkCache.Touch(path);
            }
        }
        return new WalkStats(run.Cached is not null, run.Reused, run.Listed, run.IgnoreFilesRead, written);
    }

    /// <summary>Lists folders from <paramref name="top"/> down on up to <see cref="Workers"/> threads, until every folder is
    /// listed or the listed ones hold <see cref="ProjectScanOptions.MaxFiles"/> files (or <paramref name="ct"/> is cancelled).</summary>
    private void ListAhead(WalkRun run, Folder top, CancellationToken ct)
    {
        List(run, top);
        if (Workers < 2 || top.Subfolders!.Count == 0)
        {
            return;
        }
        var queue = new FolderQueue(top, _maxFiles);
        var helpers = new Task[Workers - 1];
        for (var i = 0; i < helpers.Length; i++)
        {
            // A thread of its own: the walk must not wait for the thread pool to grow (the pool may be busy loading the
            // tokenizer or ranking), and a helper that finds nothing to do ends at once.
            helpers[i] = Task.Factory.StartNew(() => Drain(run, queue, ct), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            Drain(run, queue, ct);
        }
        finally
        {
            // Unwrapped: a helper's failure surfaces as itself, as it would have in a walk on one thread.
            Task.WhenAll(helpers).GetAwaiter().GetResult();
        }
    }

    private void Drain(WalkRun run, FolderQueue queue, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested && queue.TryTake(out var folder))
            {
                try
                {
                    List(run, folder);
                }
                finally
                {
                    queue.Done(folder);
                }
            }
        }
        finally
        {
            queue.Stop();
        }
    }

    /// <summary>Lists <paramref name="folder"/>: loads its ignore files, then keeps the files and the subfolders they do not
    /// ignore, each kept file with its signature (one <c>statx</c> relative to the open folder). The listing comes from the
    /// cache when the folder's signature is the one recorded (and was not racy then).</summary>
    private void List(WalkRun run, Folder folder)
    {
        var fd = EntryStat.OpenFolder(folder.FullPath);
        try
        {
            var signature = run.CachePath is null ? null : EntryStat.OfFolder(fd);
            FolderRecord? record = null;
            if (run.Cached is not null && signature is { } known && run.Cached.TryGetValue(folder.Prefix, out record)
                && record.Trusted && record.Signature == known && Keep(run, folder, fd, signature, record, Relinked(fd, folder.FullPath, record.Items), fromCache: true))
            {
                Interlocked.Increment(ref run.Reused);
                return;
            }
            Interlocked.Increment(ref run.Listed);
            Keep(run, folder, fd, signature, record, List(folder.FullPath), fromCache: false);
        }
        finally
        {
            EntryStat.CloseFolder(fd);
        }
    }

    /// <summary>Filters <paramref name="items"/> into <paramref name="folder"/>'s files and subfolders; <c>false</c> (nothing
    /// kept) when the items came from the cache and a file is gone or changed type (the folder is then listed again). The
    /// cached decisions are used as they are when the items are the cached ones and no ignore file above changed.</summary>
    private bool Keep(WalkRun run, Folder folder, int fd, FileSignature? signature, FolderRecord? record, List<WalkItem> items, bool fromCache)
    {
        var (chain, ignoreFiles, sameIgnoreFiles) = LoadIgnoreFiles(run, fd, folder, items, record?.IgnoreFiles ?? []);
        var chainUnchanged = folder.ChainUnchanged && record is not null && sameIgnoreFiles;
        var decided = fromCache && chainUnchanged && ReferenceEquals(items, record!.Items) && record.Kept.Length == items.Count ? record.Kept : null;
        var kept = decided ?? new bool[items.Count];
        var files = new List<WalkEntry>();
        var subfolders = new List<Folder>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (decided is null)
            {
                kept[i] = !(item.IsDirectory ? SkipDirectory(item, folder.Prefix, chain) : IsIgnored(chain, folder.Prefix, item.Name, false));
            }
            if (!kept[i])
            {
                continue;
            }
            var relative = folder.Prefix + item.Name;
            if (item.IsDirectory)
            {
                subfolders.Add(new Folder(Path.Join(folder.FullPath, item.Name), relative + "/", chain) { ChainUnchanged = chainUnchanged });
                continue;
            }
            var entry = EntryStat.Of(fd, folder.FullPath, item.Name, follow: false, out var kind);
            if (fromCache && (entry is null || kind != (item.IsLink ? EntryStat.Kind.Link : EntryStat.Kind.File)))
            {
                return false;
            }
            files.Add(new WalkEntry(relative, Path.Join(folder.FullPath, item.Name), entry?.Size ?? 0, item.IsLink) { Signature = entry });
        }
        folder.Subfolders = subfolders;
        folder.Files = files;
        if (signature is { } taken)
        {
            run.Add(new FolderRecord(folder.Prefix, taken, false, items, ignoreFiles, kept));
        }
        if (!fromCache)
        {
            run.Changed = true;
        }
        return true;
    }

    /// <summary>The cached <paramref name="items"/> with each link's kind (folder or not) taken again: a link's target may
    /// change without its folder changing.</summary>
    private static List<WalkItem> Relinked(int fd, string folder, List<WalkItem> items)
    {
        List<WalkItem>? changed = null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!item.IsLink)
            {
                continue;
            }
            var isDirectory = EntryStat.Of(fd, folder, item.Name, follow: true, out var kind) is not null && kind == EntryStat.Kind.Directory;
            if (isDirectory != item.IsDirectory)
            {
                changed ??= [.. items];
                changed[i] = item with { IsDirectory = isDirectory };
            }
        }
        return changed ?? items;
    }

    private bool SkipDirectory(WalkItem item, string prefix, IgnoreChain? chain) =>
        item.IsLink
        || PrunedDirectories.Contains(item.Name)
        || IsIgnored(chain, prefix, item.Name, true);

    /// <summary>Whether <paramref name="prefix"/> + <paramref name="name"/> is ignored; the path is put together in a
    /// stack buffer (no string for an entry that is ignored, or when nothing is there to match).</summary>
    private bool IsIgnored(IgnoreChain? chain, string prefix, string name, bool isDirectory)
    {
        if (chain is null && _overrides.IsEmpty)
        {
            return false;
        }
        var length = prefix.Length + name.Length;
        char[]? rented = null;
        var buffer = length <= 512 ? stackalloc char[512] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        try
        {
            prefix.CopyTo(buffer);
            name.CopyTo(buffer[prefix.Length..]);
            ReadOnlySpan<char> relative = buffer[..length];
            return _overrides.Match(relative, isDirectory) switch
            {
                IgnoreDecision.Ignored => true,
                IgnoreDecision.Included => false,
                _ => IgnoreChain.IsIgnored(chain, relative, isDirectory),
            };
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The entries of <paramref name="dir"/> sorted by ordinal name, read straight from the directory
    /// entries (no <see cref="FileSystemInfo"/> per file: on a large tree that allocation was most of the walk).</summary>
    private static List<WalkItem> List(string dir)
    {
        try
        {
            var entries = new FileSystemEnumerable<WalkItem>(dir, static (ref entry) => new WalkItem(
                entry.FileName.ToString(),
                entry.IsDirectory,
                (entry.Attributes & FileAttributes.ReparsePoint) != 0), Enumeration).ToList();
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return [];
        }
    }

    /// <summary>The ignore chain of <paramref name="folder"/>: its parent's, plus its own ignore files, and those files as
    /// read. Only a name the listing holds (in any case: a volume may compare names case-insensitively) is looked up, which
    /// spares two lookups per folder; a file whose signature is the one <paramref name="known"/> recorded (not racy then)
    /// is not read again.</summary>
    private static (IgnoreChain? Chain, IReadOnlyList<IgnoreFileRecord> Files, bool Same) LoadIgnoreFiles(WalkRun run, int fd, Folder folder, List<WalkItem> items,
        IReadOnlyList<IgnoreFileRecord> known)
    {
        bool hasGitIgnore = false, hasSpecSynthIgnore = false;
        foreach (var item in items)
        {
            hasGitIgnore |= item.Name.Equals(GitIgnoreFile, StringComparison.OrdinalIgnoreCase);
            hasSpecSynthIgnore |= item.Name.Equals(SpecSynthIgnoreFile, StringComparison.OrdinalIgnoreCase);
        }
        if (!hasGitIgnore && !hasSpecSynthIgnore)
        {
            return (folder.ParentChain, [], known.Count == 0);
        }
        var files = new List<IgnoreFileRecord>(2);
        var same = true;
        var rules = (hasGitIgnore ? ReadIgnoreFile(run, fd, folder.FullPath, GitIgnoreFile, known, files, ref same) : GitIgnore.Empty)
            .Then(hasSpecSynthIgnore ? ReadIgnoreFile(run, fd, folder.FullPath, SpecSynthIgnoreFile, known, files, ref same) : GitIgnore.Empty);
        return (rules.IsEmpty ? folder.ParentChain : new IgnoreChain(rules, folder.Prefix, folder.ParentChain), files, same && files.Count == known.Count);
    }

    /// <summary>The rules of ignore file <paramref name="name"/>; <paramref name="same"/> turns <c>false</c> when its text is
    /// not the one <paramref name="known"/> recorded (or cannot be told to be).</summary>
    private static GitIgnore ReadIgnoreFile(WalkRun run, int fd, string dir, string name, IReadOnlyList<IgnoreFileRecord> known, List<IgnoreFileRecord> files,
        ref bool same)
    {
        FileSignature? signature = null;
        if (run.CachePath is not null)
        {
            signature = EntryStat.Of(fd, dir, name, follow: true, out var kind);
            if (kind == EntryStat.Kind.Directory)
            {
                signature = null;
            }
        }
        string? text = null;
        foreach (var record in known)
        {
            if (record.Name == name && record.Trusted && signature == record.Signature)
            {
                text = record.Text;
            }
        }
        if (text is null)
        {
            same = false;
            Interlocked.Increment(ref run.IgnoreFilesRead);
            run.Changed |= run.CachePath is not null;
            text = ReadText(Path.Combine(dir, name));
        }
        if (text is null)
        {
            return GitIgnore.Empty;
        }
        if (signature is not { } taken)
        {
            same = false;
        }
        else
        {
            files.Add(new IgnoreFileRecord(name, taken, false, text));
        }
        return GitIgnore.Parse(text);
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One walk's use of the cache: what it loaded, the folders it recorded. Thread-safe where the listing threads share it.</summary>
    private sealed class WalkRun(string? cachePath, Dictionary<string, FolderRecord>? cached, string realRoot)
    {
        public int Reused;
        public int Listed;
        public int IgnoreFilesRead;
        private volatile bool _changed;

        public string? CachePath { get; } = cachePath;

        public Dictionary<string, FolderRecord>? Cached { get; } = cached;

        public string RealRoot { get; } = realRoot;

        public List<FolderRecord> Records { get; } = [];

        public bool Changed
        {
            get => _changed;
            set => _changed = value;
        }

        public void Add(FolderRecord record)
        {
            lock (Records)
            {
                Records.Add(record);
            }
        }
    }
}
