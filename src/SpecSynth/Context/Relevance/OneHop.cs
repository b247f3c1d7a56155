namespace SpecSynth.Context.Relevance;

/// <summary>
/// One hop from the best files (the seeds): the files a seed imports and the files declaring the types a seed uses get
/// <see cref="ForwardShare"/> of the seed's score, the files that import a seed get <see cref="ReverseShare"/>; a file
/// keeps its strongest hop, capped at <see cref="MaxHop"/>. Edges per seed and kind are capped at <see cref="MaxEdges"/>
/// so a hub (a file everything imports) does not flood the ranking.
/// </summary>
internal sealed class OneHop(List<Candidate> candidates, FileSignals?[] signals, RelevanceOptions options)
{
    /// <summary>Share of a seed's score given to a file it imports or whose types it uses.</summary>
    public const double ForwardShare = 0.3;

    /// <summary>Share of a seed's score given to a file that imports it.</summary>
    public const double ReverseShare = 0.2;

    /// <summary>The most a hop adds.</summary>
    public const double MaxHop = 30;

    /// <summary>Most edges of one kind followed from one seed.</summary>
    public const int MaxEdges = 10;

    /// <summary>A type declared by more files than this is too common to point anywhere.</summary>
    public const int MaxDeclarers = 3;

    /// <summary>Seeds score at least this share of the best file.</summary>
    public const double SeedShare = 0.1;

    /// <summary>The hop score and reason of every file.</summary>
    public sealed record Result(double[] Scores, string[]?[] Reasons);

    /// <summary>Computes the hops from the direct scores <paramref name="direct"/>.</summary>
    public Result Score(double[] direct, CancellationToken ct)
    {
        var n = candidates.Count;
        var scores = new double[n];
        var reasons = new string[]?[n];
        var seeds = Seeds(direct);
        if (seeds.Count == 0)
        {
            return new Result(scores, reasons);
        }
        var resolver = new ImportResolver(candidates.Select(c => c.Path).ToList());
        var types = TypeIndex();
        using var content = new FileContent();
        foreach (var seed in seeds)
        {
            ct.ThrowIfCancellationRequested();
            var path = candidates[seed].Path;
            var forward = ForwardShare * direct[seed];
            var imported = (signals[seed]?.Imports ?? []).Select(m => resolver.Resolve(seed, m)).Where(t => t >= 0).Distinct().Take(MaxEdges);
            foreach (var target in imported)
            {
                Offer(scores, reasons, target, forward, $"imported by {path}");
            }
            foreach (var (type, declarers) in UsedTypes(seed, content, types))
            {
                foreach (var target in declarers)
                {
                    Offer(scores, reasons, target, forward, $"defines {type}, used by {path}");
                }
            }
        }
        ReverseImports(seeds, resolver, direct, scores, reasons);
        return new Result(scores, reasons);
    }

    private List<int> Seeds(double[] direct)
    {
        var best = direct.Length == 0 ? 0 : direct.Max();
        return Enumerable.Range(0, direct.Length)
            .Where(i => direct[i] > 0 && direct[i] >= SeedShare * best)
            .OrderByDescending(i => direct[i]).ThenBy(i => candidates[i].Path, StringComparer.Ordinal)
            .Take(options.Seeds).ToList();
    }

    /// <summary>Type name (hash) to the files declaring it, in path order.</summary>
    private Dictionary<ulong, List<int>> TypeIndex()
    {
        var index = new Dictionary<ulong, List<int>>();
        for (var i = 0; i < signals.Length; i++)
        {
            foreach (var type in signals[i]?.Types ?? [])
            {
                if (!index.TryGetValue(type, out var files))
                {
                    index[type] = files = [];
                }
                if (files.Count <= MaxDeclarers && (files.Count == 0 || files[^1] != i))
                {
                    files.Add(i);
                }
            }
        }
        return index;
    }

    /// <summary>The types declared elsewhere (by at most <see cref="MaxDeclarers"/> files) that the seed mentions most.</summary>
    private IEnumerable<(string Type, List<int> Declarers)> UsedTypes(int seed, FileContent content, Dictionary<ulong, List<int>> types)
    {
        if (types.Count == 0)
        {
            return [];
        }
        var text = content.Load(candidates[seed], options.MaxFileBytes, out _, out var loaded);
        if (!loaded)
        {
            return [];
        }
        var mentions = new Dictionary<ulong, (string Name, int Count)>();
        foreach (var (start, end) in new AsciiTokens(text))
        {
            var length = end - start;
            if (length < 3 || length > 128)
            {
                continue;
            }
            var token = text[start..end];
            var hash = ContentScanner.TypeHash(token);
            if (types.TryGetValue(hash, out var declarers) && declarers.Count <= MaxDeclarers && !declarers.Contains(seed))
            {
                mentions[hash] = mentions.TryGetValue(hash, out var seen) ? (seen.Name, seen.Count + 1) : (AsciiText.ToAsciiString(token), 1);
            }
        }
        return mentions.OrderByDescending(m => m.Value.Count).ThenBy(m => m.Value.Name, StringComparer.Ordinal).Take(MaxEdges)
            .Select(m => (m.Value.Name, types[m.Key])).ToList();
    }

    private void ReverseImports(List<int> seeds, ImportResolver resolver, double[] direct, double[] scores, string[]?[] reasons)
    {
        var byStem = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var seed in seeds)
        {
            var stem = ImportResolver.Stem(candidates[seed].Path);
            if (!byStem.TryGetValue(stem, out var list))
            {
                byStem[stem] = list = [];
            }
            list.Add(seed);
        }
        var importers = seeds.ToDictionary(s => s, _ => new List<int>());
        for (var j = 0; j < signals.Length; j++)
        {
            foreach (var module in signals[j]?.Imports ?? [])
            {
                if (byStem.ContainsKey(ImportResolver.Stem(module)) && resolver.Resolve(j, module) is var target and >= 0
                    && importers.TryGetValue(target, out var list) && !list.Contains(j))
                {
                    list.Add(j);
                }
            }
        }
        foreach (var seed in seeds)
        {
            var share = ReverseShare * direct[seed];
            var chosen = importers[seed].OrderByDescending(j => direct[j]).ThenBy(j => candidates[j].Path, StringComparer.Ordinal).Take(MaxEdges);
            foreach (var j in chosen)
            {
                Offer(scores, reasons, j, share, $"imports {candidates[seed].Path}");
            }
        }
    }

    private static void Offer(double[] scores, string[]?[] reasons, int target, double value, string reason)
    {
        value = Math.Min(value, MaxHop);
        if (value > scores[target])
        {
            scores[target] = value;
            reasons[target] = [reason];
        }
    }
}
