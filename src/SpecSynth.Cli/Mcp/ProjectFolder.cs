namespace SpecSynth.Cli.Mcp;

/// <summary>The project folder an MCP session serves: every path argument must resolve inside it (symbolic links followed),
/// or the call is refused as bad input, before anything is read or written.</summary>
internal sealed class ProjectFolder
{
    public ProjectFolder(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        RealRoot = Real(Root);
    }

    /// <summary>The project folder, absolute.</summary>
    public string Root { get; }

    private string RealRoot { get; }

    /// <summary>The full path of <paramref name="path"/> (relative to the project, or absolute), refused when it leaves the project.</summary>
    /// <param name="path">A path argument.</param>
    /// <param name="argument">The argument's name, for the message.</param>
    public string Confine(string path, string argument)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"'{argument}' is empty or not a path.");
        }
        var full = Path.GetFullPath(path, Root);
        if (!Inside(full, Root) || !Inside(Real(full), RealRoot))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"'{argument}' ({path}) is outside the project folder {Root}; this server only reads and writes inside it.");
        }
        return full;
    }

    /// <summary>Whether <paramref name="path"/> (absolute) lies inside the project.</summary>
    public bool Contains(string path) => Inside(Path.GetFullPath(path), Root) && Inside(Real(Path.GetFullPath(path)), RealRoot);

    /// <summary>The path relative to the project, with <c>/</c>.</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    private static bool Inside(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        path = Path.TrimEndingDirectorySeparator(path);
        return path.Equals(root, comparison) || path.StartsWith(root + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>The path with every symbolic link among its existing parts resolved (the parts that do not exist yet kept).</summary>
    private static string Real(string full)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null)
            {
                next = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
            }
            current = Path.GetFullPath(next);
        }
        return Path.TrimEndingDirectorySeparator(current);
    }
}
