using System.Collections.Frozen;
using System.IO.Enumeration;

namespace SpecSynth.Projects;

/// <summary>
/// Lists a project's files depth-first in ordinal order: prunes build and tool folders, honours
/// <c>.gitignore</c>/<c>.specsynthignore</c> files at every level plus extra patterns, never follows directory
/// links and skips entries it cannot read.
/// </summary>
internal sealed class ProjectWalker
{
    internal const string SpecSynthIgnoreFile = ".specsynthignore";

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

    public ProjectWalker(ProjectScanOptions options)
    {
        _maxFiles = options.MaxFiles;
        _overrides = GitIgnore.Parse(options.IgnorePatterns);
    }

    /// <summary>The files under <paramref name="root"/>, at most <see cref="ProjectScanOptions.MaxFiles"/>: the first ones
    /// in a depth-first walk in ordinal order, then sorted by path. The folders are listed on every core first (until the
    /// folders listed hold <see cref="ProjectScanOptions.MaxFiles"/> files), then the files are taken depth-first from
    /// those listings (listing, in order, any folder not listed yet), so the result never depends on the threads.</summary>
    public List<WalkEntry> Walk(string root, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var top = new Folder(root, "", null);
        ListAhead(top, ct);
        var found = new List<WalkEntry>();
        var pending = new Stack<Folder>();
        pending.Push(top);
        while (pending.Count > 0 && found.Count < _maxFiles)
        {
            ct.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            if (folder.Files is null)
            {
                List(folder);
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
        found.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return found;
    }

    /// <summary>Lists folders from <paramref name="top"/> down on up to <see cref="Workers"/> threads, until every folder is
    /// listed or the listed ones hold <see cref="ProjectScanOptions.MaxFiles"/> files (or <paramref name="ct"/> is cancelled).</summary>
    private void ListAhead(Folder top, CancellationToken ct)
    {
        List(top);
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
            helpers[i] = Task.Factory.StartNew(() => Drain(queue, ct), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            Drain(queue, ct);
        }
        finally
        {
            // Unwrapped: a helper's failure surfaces as itself, as it would have in a walk on one thread.
            Task.WhenAll(helpers).GetAwaiter().GetResult();
        }
    }

    private void Drain(FolderQueue queue, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested && queue.TryTake(out var folder))
            {
                try
                {
                    List(folder);
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

    /// <summary>Lists <paramref name="folder"/>: loads its ignore files, then keeps the files and the subfolders they do not ignore.</summary>
    private void List(Folder folder)
    {
        var items = List(folder.FullPath);
        var chain = LoadIgnoreFiles(folder.FullPath, folder.Prefix, folder.ParentChain, items);
        var files = new List<WalkEntry>();
        var subfolders = new List<Folder>();
        foreach (var item in items)
        {
            var relative = folder.Prefix + item.Name;
            if (item.IsDirectory ? SkipDirectory(item, relative, chain) : IsIgnored(chain, relative, false))
            {
                continue;
            }
            if (item.IsDirectory)
            {
                subfolders.Add(new Folder(Path.Join(folder.FullPath, item.Name), relative + "/", chain));
            }
            else
            {
                files.Add(new WalkEntry(relative, Path.Join(folder.FullPath, item.Name), item.Length, item.IsLink));
            }
        }
        folder.Subfolders = subfolders;
        folder.Files = files;
    }

    private bool SkipDirectory(Item item, string relative, IgnoreChain? chain) =>
        item.IsLink
        || PrunedDirectories.Contains(item.Name)
        || IsIgnored(chain, relative, true);

    private bool IsIgnored(IgnoreChain? chain, string relative, bool isDirectory) =>
        _overrides.Match(relative, isDirectory) switch
        {
            IgnoreDecision.Ignored => true,
            IgnoreDecision.Included => false,
            _ => IgnoreChain.IsIgnored(chain, relative, isDirectory),
        };

    /// <summary>The entries of <paramref name="dir"/> sorted by ordinal name, read straight from the directory
    /// entries (no <see cref="FileSystemInfo"/> per file: on a large tree that allocation was most of the walk).</summary>
    private static List<Item> List(string dir)
    {
        try
        {
            var entries = new FileSystemEnumerable<Item>(dir, static (ref entry) => new Item(
                entry.FileName.ToString(),
                entry.IsDirectory,
                (entry.Attributes & FileAttributes.ReparsePoint) != 0,
                entry.IsDirectory ? 0 : LengthOf(ref entry)), Enumeration).ToList();
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return [];
        }
    }

    private static long LengthOf(ref FileSystemEntry entry)
    {
        try
        {
            return entry.Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The ignore chain of <paramref name="dir"/>: its parent's, plus its own ignore files. Only a name the listing holds
    /// (in any case: a volume may compare names case-insensitively) is looked up, which spares two lookups per folder.</summary>
    private static IgnoreChain? LoadIgnoreFiles(string dir, string prefix, IgnoreChain? parent, List<Item> items)
    {
        bool hasGitIgnore = false, hasSpecSynthIgnore = false;
        foreach (var item in items)
        {
            hasGitIgnore |= item.Name.Equals(".gitignore", StringComparison.OrdinalIgnoreCase);
            hasSpecSynthIgnore |= item.Name.Equals(SpecSynthIgnoreFile, StringComparison.OrdinalIgnoreCase);
        }
        if (!hasGitIgnore && !hasSpecSynthIgnore)
        {
            return parent;
        }
        var rules = (hasGitIgnore ? ReadIgnoreFile(Path.Combine(dir, ".gitignore")) : GitIgnore.Empty)
            .Then(hasSpecSynthIgnore ? ReadIgnoreFile(Path.Combine(dir, SpecSynthIgnoreFile)) : GitIgnore.Empty);
        return rules.IsEmpty ? parent : new IgnoreChain(rules, prefix, parent);
    }

    private static GitIgnore ReadIgnoreFile(string path)
    {
        try
        {
            return File.Exists(path) ? GitIgnore.Parse(File.ReadAllText(path)) : GitIgnore.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return GitIgnore.Empty;
        }
    }

    /// <summary>One directory entry. A class, not a struct: the enumerator and list code for a reference type is
    /// shared and precompiled (ReadyToRun), while a struct instantiation ran as tier-0 code for the whole cold walk.</summary>
    private sealed record Item(string Name, bool IsDirectory, bool IsLink, long Length);
}
