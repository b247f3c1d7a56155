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
        var state = new Resolution(root);
        state.Append(fullPath[root.Length..]);
        return state.Current;
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

    /// <summary>
    /// A resolution in progress: <see cref="Current"/> is the real form of every segment appended so far. Appending one
    /// segment at a time gives, after each, exactly what <see cref="Resolve"/> gives for the path up to that segment (same
    /// link count, same handling of a missing tail), without resolving the segments before it again (issue 19:
    /// <see cref="PathGuard.ConfineCore"/> resolved every prefix of a path from the file system root).
    /// </summary>
    internal sealed class Resolution(string root)
    {
        private int _links;
        private bool _tailMissing;

        /// <summary>The real path of the segments appended so far.</summary>
        public string Current { get; private set; } = root;

        /// <summary>Resolves <paramref name="relative"/> (one or more segments) below <see cref="Current"/>.</summary>
        /// <exception cref="IOException">A link loop, or more than <see cref="MaxLinks"/> links in all.</exception>
        public void Append(string relative)
        {
            var pending = new Stack<string>();
            PushSegments(pending, relative);
            var current = Current;
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
                if (!_tailMissing && IsPlainEntry(next))
                {
                    current = next;
                    continue;
                }
                var target = _tailMissing ? null : new FileInfo(next).LinkTarget;
                if (target is null)
                {
                    _tailMissing = _tailMissing || !Path.Exists(next);
                    current = next;
                    continue;
                }
                if (++_links > MaxLinks)
                {
                    throw new IOException($"Too many levels of symbolic links at '{next}'.");
                }
                PushSegments(pending, Path.IsPathRooted(target) ? target[(Path.GetPathRoot(target)?.Length ?? 0)..] : target);
                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target)!;
                }
            }
            Current = current;
        }

        /// <summary>
        /// Whether <paramref name="path"/> exists and is not a link, from one <c>lstat</c>: then it resolves to itself, as the
        /// <c>readlink</c> (failing) and <c>stat</c> of the general case would find, at half the system calls (issue 19:
        /// every segment of every written path cost both). Anything else (a link, a missing entry, an entry that cannot be
        /// inspected) is left to the general case, which reads the link, tells a missing tail and reports the errors.
        /// </summary>
        private static bool IsPlainEntry(string path)
        {
            var attributes = new FileInfo(path).Attributes;
            return (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) == 0;
        }
    }
}
