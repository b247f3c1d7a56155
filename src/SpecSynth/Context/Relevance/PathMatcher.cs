namespace SpecSynth.Context.Relevance;

/// <summary>
/// Scores files by what the spec says about their paths: a path it names (exactly, or as a suffix or a bare file
/// name, shared among the files that match), a folder it names, and an identifier-like name of the spec that equals a
/// file's stem (<c>node_file</c>).
/// </summary>
internal static class PathMatcher
{
    /// <summary>A path the spec names exactly.</summary>
    public const double Exact = 100;

    /// <summary>A path suffix or file name the spec names, before sharing among the files it matches.</summary>
    public const double Suffix = 80;

    /// <summary>A file under a folder the spec names.</summary>
    public const double InFolder = 5;

    /// <summary>A file whose stem the spec names as an identifier, before sharing.</summary>
    public const double Stem = 15;

    /// <summary>Adds the path scores of <paramref name="candidates"/> to <paramref name="scores"/> and their reasons to <paramref name="reasons"/>.</summary>
    public static void Score(SpecQuery query, IReadOnlyList<Candidate> candidates, double[] scores, List<string>?[] reasons)
    {
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byStem = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var path = candidates[i].Path;
            var name = path[(path.LastIndexOf('/') + 1)..];
            Add(byName, name, i);
            var dot = name.IndexOf('.', 1);
            var stem = (dot > 0 ? name[..dot] : name).ToLowerInvariant();
            if (stem.Length >= 4 && query.Names.Contains(stem))
            {
                Add(byStem, stem, i);
            }
        }
        var named = new HashSet<int>();
        foreach (var reference in query.NamedPaths)
        {
            var trimmed = reference.TrimEnd('/');
            var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
            var matches = !reference.EndsWith('/') && byName.TryGetValue(name, out var list)
                ? list.Where(i => candidates[i].Path == trimmed || candidates[i].Path.EndsWith("/" + trimmed, StringComparison.Ordinal)).ToList()
                : [];
            if (matches.Count > 0)
            {
                var share = Suffix / Math.Sqrt(matches.Count);
                foreach (var i in matches)
                {
                    var exact = candidates[i].Path == trimmed;
                    if (named.Add(i))
                    {
                        scores[i] += exact ? Exact : share;
                        Reason(reasons, i, exact ? "named in the spec" : $"named in the spec as {reference}");
                    }
                }
                continue;
            }
            var folder = trimmed + "/";
            for (var i = 0; i < candidates.Count; i++)
            {
                var path = candidates[i].Path;
                if ((path.StartsWith(folder, StringComparison.Ordinal) || path.Contains("/" + folder, StringComparison.Ordinal)) && named.Add(i))
                {
                    scores[i] += InFolder;
                    Reason(reasons, i, $"in {folder}, named in the spec");
                }
            }
        }
        foreach (var (stem, files) in byStem)
        {
            foreach (var i in files.Where(f => !named.Contains(f)))
            {
                scores[i] += Stem / Math.Sqrt(files.Count);
                var name = candidates[i].Path[(candidates[i].Path.LastIndexOf('/') + 1)..];
                Reason(reasons, i, $"named in the spec as {name[..stem.Length]}");
            }
        }
    }

    /// <summary>Adds <paramref name="reason"/> to the reasons of file <paramref name="i"/>.</summary>
    public static void Reason(List<string>?[] reasons, int i, string reason) => (reasons[i] ??= []).Add(reason);

    private static void Add(Dictionary<string, List<int>> index, string key, int i)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(i);
    }
}
