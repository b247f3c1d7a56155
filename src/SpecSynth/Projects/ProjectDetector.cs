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
        var markers = tree
            .Select(path => (Path: path, Ecosystem: Ecosystems.All.FirstOrDefault(e => e.IsMarker(NameOf(path)))))
            .Where(m => m.Ecosystem is not null && !SecretFiles.IsSecret(m.Path))
            .ToList();
        var chosen = markers.Where(m => !m.Path.Contains('/', StringComparison.Ordinal)).Select(m => m.Ecosystem!)
            .MinBy(e => IndexOf(e));
        chosen ??= markers.GroupBy(m => m.Ecosystem!)
            .OrderByDescending(g => g.Count()).ThenBy(g => IndexOf(g.Key)).Select(g => g.Key).FirstOrDefault();
        if (chosen is null)
        {
            return (ByExtension(tree), null);
        }
        var own = markers.Where(m => m.Ecosystem == chosen).Select(m => m.Path)
            .OrderBy(p => p.Contains('/', StringComparison.Ordinal)).ThenBy(p => p, StringComparer.Ordinal)
            .Take(MaxMarkersRead)
            .Select(p => new Marker(p, ReadMarker(root, p)))
            .ToList();
        return chosen.Inspect(own, tree);
    }

    private static int IndexOf(Ecosystem ecosystem)
    {
        for (var i = 0; i < Ecosystems.All.Count; i++)
        {
            if (ReferenceEquals(Ecosystems.All[i], ecosystem))
            {
                return i;
            }
        }
        return -1;
    }

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

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
