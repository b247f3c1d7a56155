namespace SpecSynth.Projects;

/// <summary>
/// Detects a project's language and framework. Marker files at the root decide (ties broken by
/// <see cref="Ecosystems.All"/> order); without any, the ecosystem with the most markers in subfolders; without
/// markers, the most common programming language by file extension (no framework then).
/// </summary>
internal static class ProjectDetector
{
    private const int MaxMarkersRead = 32;
    private const int MaxMarkerBytes = 1024 * 1024;

    public static (string? Language, string? Framework) Detect(string root, IReadOnlyList<string> tree)
    {
        var all = Ecosystems.All;
        var (paths, kinds) = Markers(tree);
        // A root marker decides (the first ecosystem in order); else the ecosystem with the most markers (ties: in order).
        var chosen = -1;
        var counts = new int[all.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            counts[kinds[i]]++;
            if (!paths[i].Contains('/', StringComparison.Ordinal) && (chosen < 0 || kinds[i] < chosen))
            {
                chosen = kinds[i];
            }
        }
        if (chosen < 0)
        {
            var most = 0;
            for (var e = 0; e < counts.Length; e++)
            {
                if (counts[e] > most)
                {
                    (chosen, most) = (e, counts[e]);
                }
            }
        }
        if (chosen < 0)
        {
            return (ByExtension(tree), null);
        }
        var own = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (kinds[i] == chosen)
            {
                own.Add(paths[i]);
            }
        }
        // Root markers first, then by path.
        own.Sort(static (a, b) =>
        {
            var nested = a.Contains('/', StringComparison.Ordinal).CompareTo(b.Contains('/', StringComparison.Ordinal));
            return nested != 0 ? nested : string.CompareOrdinal(a, b);
        });
        var read = new List<Marker>(Math.Min(own.Count, MaxMarkersRead));
        for (var i = 0; i < own.Count && i < MaxMarkersRead; i++)
        {
            read.Add(new Marker(own[i], ReadMarker(root, own[i])));
        }
        return all[chosen].Inspect(read, tree);
    }

    /// <summary>Every path of <paramref name="tree"/> whose name marks an ecosystem, with the index of the first such
    /// ecosystem in <see cref="Ecosystems.All"/>, secret files left out. A plain loop: it runs over every path of the tree,
    /// so no per-path allocation and no generic code over value types (which ReadyToRun does not precompile).</summary>
    private static (List<string> Paths, List<int> Kinds) Markers(IReadOnlyList<string> tree)
    {
        var paths = new List<string>();
        var kinds = new List<int>();
        var all = Ecosystems.All;
        for (var p = 0; p < tree.Count; p++)
        {
            var path = tree[p];
            var name = path.AsSpan(path.LastIndexOf('/') + 1);
            for (var e = 0; e < all.Count; e++)
            {
                if (all[e].IsMarker(name))
                {
                    if (!SecretFiles.IsSecret(path))
                    {
                        paths.Add(path);
                        kinds.Add(e);
                    }
                    break;
                }
            }
        }
        return (paths, kinds);
    }

    private static string? ByExtension(IReadOnlyList<string> tree) =>
        tree.Select(LanguageMap.FromPath)
            .Where(l => l is not null && LanguageMap.Programming.Contains(l))
            .GroupBy(l => l!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();

    private static string ReadMarker(string root, string relativePath)
    {
        try
        {
            var full = Path.Combine(root, relativePath);
            var info = new FileInfo(full);
            if (!info.Exists || info.Length > MaxMarkerBytes || (info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                return "";
            }
            return File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
