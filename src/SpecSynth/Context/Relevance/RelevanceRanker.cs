using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// Ranks a project's files by relevance to a spec from four kinds of evidence: the paths and file names the spec
/// mentions; the spec's identifiers (types, functions) and endpoints (<c>GET /todos</c>) declared in the code; a BM25
/// score of the file's words against the spec's words; and one hop from the best files to the files they import or
/// whose types they use, and to the files that import them. Content is streamed: every file is read once into a
/// pooled buffer, scanned as bytes and dropped (only counts survive), on all cores; secret files (<see cref="SecretFiles"/>),
/// links, binaries, non-UTF-8 files and names the scanner skips are never ranked. The order is deterministic: score, then
/// path. Thread-safe.
/// </summary>
internal sealed class RelevanceRanker : IRelevanceRanker
{
    /// <summary>The best BM25 score maps to this many points; the others scale with it.</summary>
    internal const double Bm25Points = 20;

    /// <summary>A file declaring a spec identifier gets this (shared among the files that declare it).</summary>
    internal const double DeclarationPoints = 30;

    /// <summary>A route literal of a spec endpoint with its method on the line; without the method, <see cref="RoutePathPoints"/>.</summary>
    internal const double RoutePoints = 30;

    /// <summary>A route literal of a spec endpoint whose method is not on the same line.</summary>
    internal const double RoutePathPoints = 12;

    /// <summary>Files below this share of the best BM25 score, with no other evidence, are left out.</summary>
    internal const double MinBm25Share = 0.05;

    private readonly RelevanceOptions _options;
    private readonly Index.ContextIndex? _index;

    /// <summary>Creates a ranker with the default weights.</summary>
    public RelevanceRanker()
        : this(null)
    {
    }

    /// <summary>Creates a ranker with the given weights (<c>null</c>: the defaults) that reads what it can from the
    /// persistent context index <paramref name="index"/> (<c>null</c>: none; the ranking is the same either way).</summary>
    internal RelevanceRanker(RelevanceOptions? options, Index.ContextIndex? index = null)
    {
        _options = options ?? RelevanceOptions.Default;
        _index = index;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RankedFile>> RankAsync(Specification spec, ProjectContext project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(project);
        return Task.Run(() => Rank(spec, project, cancellationToken), cancellationToken);
    }

    private IReadOnlyList<RankedFile> Rank(Specification spec, ProjectContext project, CancellationToken ct)
    {
        var query = SpecQuery.From(spec);
        var candidates = Candidates(project);
        var n = candidates.Count;
        var signals = new FileSignals?[n];
        var lengths = new int[n];
        var unreadable = new bool[n];
        var loaded = new bool[n];
        if (_index is null || !_index.Scan(query, candidates, project, _options, signals, lengths, unreadable, loaded, ct))
        {
            Scan(query, candidates, signals, lengths, unreadable, loaded, ct);
        }
        ct.ThrowIfCancellationRequested();

        var scores = new double[n];
        var reasons = new List<string>?[n];
        var evidence = new bool[n];
        PathMatcher.Score(query, candidates, scores, reasons);
        for (var i = 0; i < n; i++)
        {
            evidence[i] = scores[i] > 0;
        }
        ScoreDeclarationsAndRoutes(query, signals, scores, reasons, evidence);
        var bm25 = new Bm25Scorer(query, candidates, signals, lengths, loaded);
        for (var i = 0; i < n; i++)
        {
            scores[i] += Bm25Points * bm25.Share(i);
        }
        var hop = new OneHop(candidates, signals, _options).Score(scores, ct);

        var totals = new double[n];
        var order = new int[n];
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            if (unreadable[i])
            {
                continue;
            }
            var total = scores[i] + hop.Scores[i];
            if (total > 0 && (evidence[i] || hop.Scores[i] > 0 || bm25.Share(i) >= MinBm25Share))
            {
                totals[i] = total;
                order[m++] = i;
            }
        }
        var kept = Math.Min(m, Math.Max(0, _options.MaxResults));
        SortBest(order, m, kept, totals, candidates);
        var result = new List<RankedFile>(kept);
        for (var k = 0; k < kept; k++)
        {
            var i = order[k];
            result.Add(new RankedFile(candidates[i].Path, candidates[i].Bytes, Math.Round(totals[i], 3),
                [.. reasons[i] ?? [], .. bm25.Reasons(i), .. hop.Reasons[i] ?? []]));
        }
        return result;
    }

    /// <summary>Puts the best <paramref name="kept"/> of <c>order[..count]</c> first, best first: the higher total, then the
    /// path (a total order, so the same as a full sort): a bounded insertion of the best ones on plain arrays (no generic
    /// sort over value types, which ReadyToRun cannot precompile: nothing to JIT on the warm path).</summary>
    private static void SortBest(int[] order, int count, int kept, double[] totals, List<Candidate> candidates)
    {
        bool Before(int a, int b) =>
            totals[a] > totals[b] || (totals[a] == totals[b] && string.CompareOrdinal(candidates[a].Path, candidates[b].Path) < 0);

        if (kept <= 0 || count <= 1)
        {
            return;
        }
        // Keep the best `kept` in order[..kept], sorted, by insertion from a running threshold (the worst kept).
        var size = 0;
        for (var k = 0; k < count; k++)
        {
            var i = order[k];
            if (size == kept && !Before(i, order[size - 1]))
            {
                continue;
            }
            var at = size == kept ? size - 1 : size;
            while (at > 0 && Before(i, order[at - 1]))
            {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = i;
            size = Math.Min(size + 1, kept);
        }
    }

    /// <summary>Reads and scans every candidate (no index).</summary>
    private void Scan(SpecQuery query, List<Candidate> candidates, FileSignals?[] signals, int[] lengths, bool[] unreadable, bool[] loaded,
        CancellationToken ct)
    {
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelism) };
        Parallel.For(0, candidates.Count, parallel,
            () => (Scanner: new ContentScanner(query), Content: new FileContent()),
            (i, _, worker) =>
            {
                var bytes = worker.Content.Load(candidates[i], _options.MaxFileBytes, out unreadable[i], out loaded[i]);
                if (loaded[i])
                {
                    signals[i] = worker.Scanner.Scan(bytes, candidates[i].Kind, out lengths[i]);
                }
                return worker;
            },
            worker => worker.Content.Dispose());
    }

    /// <summary>The files that may be ranked: the walk's entries (or the tree and the read files when the context was
    /// built by hand), without secret files, links and files the scanner skips by name.</summary>
    private static List<Candidate> Candidates(ProjectContext project)
    {
        var contents = project.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var list = new List<Candidate>();
        if (project.Entries.Count > 0)
        {
            foreach (var entry in project.Entries)
            {
                if (!entry.IsSymlink && Rankable(entry.RelativePath))
                {
                    list.Add(new Candidate(entry.RelativePath, entry.FullPath, entry.Bytes, contents.GetValueOrDefault(entry.RelativePath)?.Content) { Signature = entry.Signature });
                }
            }
            return list;
        }
        var paths = project.Tree.Concat(project.Files.Select(f => f.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!Rankable(path))
            {
                continue;
            }
            if (contents.TryGetValue(path, out var file))
            {
                list.Add(new Candidate(path, Path.Combine(project.Root, path), file.Bytes, file.Content));
                continue;
            }
            var info = new FileInfo(Path.Combine(project.Root, path));
            if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                list.Add(new Candidate(path, info.FullName, info.Length, null));
            }
        }
        return list;
    }

    /// <summary><paramref name="ids"/> in ascending order (most arrive sorted: the index gives them so).</summary>
    private static int[] Ascending(int[] ids)
    {
        for (var k = 1; k < ids.Length; k++)
        {
            if (ids[k - 1] > ids[k])
            {
                var sorted = (int[])ids.Clone();
                for (var a = 1; a < sorted.Length; a++)
                {
                    var value = sorted[a];
                    var b = a;
                    while (b > 0 && sorted[b - 1] > value)
                    {
                        sorted[b] = sorted[b - 1];
                        b--;
                    }
                    sorted[b] = value;
                }
                return sorted;
            }
        }
        return ids;
    }

    private static bool Rankable(string path) => !SecretFiles.IsSecret(path) && !SkippedFiles.SkipByName(path);

    private static void ScoreDeclarationsAndRoutes(SpecQuery query, FileSignals?[] signals, double[] scores, List<string>?[] reasons, bool[] evidence)
    {
        var declarers = new int[query.Identifiers.Count];
        foreach (var s in signals)
        {
            foreach (var id in s?.Declares ?? [])
            {
                declarers[id]++;
            }
        }
        for (var i = 0; i < signals.Length; i++)
        {
            if (signals[i] is not { } s)
            {
                continue;
            }
            foreach (var id in Ascending(s.Declares))
            {
                scores[i] += DeclarationPoints / Math.Sqrt(declarers[id]);
                PathMatcher.Reason(reasons, i, "defines " + query.Identifiers[id]);
                evidence[i] = true;
            }
            foreach (var (endpoint, withMethod) in s.Routes)
            {
                scores[i] += withMethod ? RoutePoints : RoutePathPoints;
                PathMatcher.Reason(reasons, i, withMethod ? $"route {query.Endpoints[endpoint]}" : $"mentions the route {query.Endpoints[endpoint].Path}");
                evidence[i] = true;
            }
        }
    }
}
