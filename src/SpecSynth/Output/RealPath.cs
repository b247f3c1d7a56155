namespace SpecSynth.Output;

/// <summary>
/// Resolves symbolic links (and junctions) in an absolute path, one segment at a time, like POSIX
/// <c>realpath</c> but also for paths whose tail does not exist yet.
/// </summary>
internal static class RealPath
{
    /// <summary>Most links followed in one resolution before it is treated as a loop.</summary>
    public const int MaxLinks = 40;

    /// <summary>How paths compare on this platform's usual file system.</summary>
    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Returns <paramref name="fullPath"/> with every existing link replaced by its target.</summary>
    /// <exception cref="IOException">A link loop, or more than <see cref="MaxLinks"/> links.</exception>
    public static string Resolve(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? throw new ArgumentException("Not an absolute path.", nameof(fullPath));
        var pending = new Stack<string>();
        PushSegments(pending, fullPath[root.Length..]);
        var current = root;
        var links = 0;
        var tailMissing = false;
        while (pending.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Combine(current, segment);
            var target = tailMissing ? null : new FileInfo(next).LinkTarget;
            if (target is null)
            {
                tailMissing = tailMissing || !Path.Exists(next);
                current = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                throw new IOException($"Too many levels of symbolic links at '{next}'.");
            }
            PushSegments(pending, Path.IsPathRooted(target) ? target[(Path.GetPathRoot(target)?.Length ?? 0)..] : target);
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
            }
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it (both resolved).</summary>
    public static bool IsInside(string path, string root)
    {
        var r = Path.TrimEndingDirectorySeparator(root);
        if (path.Equals(r, Comparison))
        {
            return true;
        }
        return path.StartsWith(r + Path.DirectorySeparatorChar, Comparison)
            || (Path.GetPathRoot(r) == r && path.StartsWith(r, Comparison));
    }

    private static void PushSegments(Stack<string> pending, string relative)
    {
        var parts = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
