using System.Collections.Frozen;

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
            foreach (var info in List(dir))
            {
                var relative = prefix + info.Name;
                var isDirectory = (info.Attributes & FileAttributes.Directory) != 0;
                if (isDirectory ? SkipDirectory(info, relative, chain) : IsIgnored(chain, relative, false))
                {
                    continue;
                }
                if (isDirectory)
                {
                    subdirectories.Add((info.FullName, relative + "/", chain));
                }
                else if (found.Count < _maxFiles)
                {
                    found.Add(ToEntry((FileInfo)info, relative));
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

    private bool SkipDirectory(FileSystemInfo info, string relative, IgnoreChain? chain) =>
        (info.Attributes & FileAttributes.ReparsePoint) != 0
        || PrunedDirectories.Contains(info.Name)
        || IsIgnored(chain, relative, true);

    private bool IsIgnored(IgnoreChain? chain, string relative, bool isDirectory) =>
        _overrides.Match(relative, isDirectory) switch
        {
            IgnoreDecision.Ignored => true,
            IgnoreDecision.Included => false,
            _ => IgnoreChain.IsIgnored(chain, relative, isDirectory),
        };

    private static WalkEntry ToEntry(FileInfo file, string relative)
    {
        var isLink = (file.Attributes & FileAttributes.ReparsePoint) != 0;
        long length;
        try
        {
            length = file.Length;
        }
        catch (IOException)
        {
            length = 0;
        }
        return new WalkEntry(relative, file.FullName, length, isLink);
    }

    private static List<FileSystemInfo> List(string dir)
    {
        try
        {
            var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", Enumeration).ToList();
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return [];
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
}
