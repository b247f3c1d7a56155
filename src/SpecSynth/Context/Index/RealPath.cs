namespace SpecSynth.Context.Index;

/// <summary>A folder's path with every symbolic link along it resolved (what keys a project's index: the same
/// project reached through a link shares it).</summary>
internal static class RealPath
{
    /// <summary>The real path of <paramref name="path"/> (as far as it exists; the rest is kept as written).</summary>
    public static string Of(string path) => Resolve(Path.GetFullPath(path), 0);

    private static string Resolve(string full, int depth)
    {
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Join(current, parts[i]);
            FileSystemInfo? target = null;
            try
            {
                var info = new DirectoryInfo(next);
                if (info.LinkTarget is not null && depth < 32)
                {
                    target = info.ResolveLinkTarget(returnFinalTarget: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
            if (target is not null)
            {
                // The target may itself sit under links.
                next = Resolve(Path.GetFullPath(target.FullName), depth + 1);
            }
            current = next;
        }
        return Path.TrimEndingDirectorySeparator(current);
    }
}
