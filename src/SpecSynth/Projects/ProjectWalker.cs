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

    private readonly int _maxFiles;
    private readonly GitIgnore _overrides;

    public ProjectWalker(ProjectScanOptions options)
    {
        _maxFiles = options.MaxFiles;
        _overrides = GitIgnore.Parse(options.IgnorePatterns);
    }

    /// <summary>The files under <paramref name="root"/>, at most <see cref="ProjectScanOptions.MaxFiles"/>.</summary>
    public List<WalkEntry> Walk(string root, CancellationToken ct)
    {
        var found = new List<WalkEntry>();
        var pending = new Stack<(string Full, string Prefix, IgnoreChain? Chain)>();
        pending.Push((root, "", null));
        while (pending.Count > 0 && found.Count < _maxFiles)
        {
            ct.ThrowIfCancellationRequested();
            var (dir, prefix, parentChain) = pending.Pop();
            var chain = LoadIgnoreFiles(dir, prefix, parentChain);
            var subdirectories = new List<(string, string, IgnoreChain?)>();
            foreach (var item in List(dir))
            {
                var relative = prefix + item.Name;
                if (item.IsDirectory ? SkipDirectory(item, relative, chain) : IsIgnored(chain, relative, false))
                {
                    continue;
                }
                if (item.IsDirectory)
                {
                    subdirectories.Add((Path.Join(dir, item.Name), relative + "/", chain));
                }
                else if (found.Count < _maxFiles)
                {
                    found.Add(new WalkEntry(relative, Path.Join(dir, item.Name), item.Length, item.IsLink));
                }
            }
            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
        found.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return found;
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

    private static IgnoreChain? LoadIgnoreFiles(string dir, string prefix, IgnoreChain? parent)
    {
        var rules = ReadIgnoreFile(Path.Combine(dir, ".gitignore"))
            .Then(ReadIgnoreFile(Path.Combine(dir, SpecSynthIgnoreFile)));
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
