using System.Globalization;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// BM25 (k1 = 1.2, b = 0.75) of every file's words against the spec's weighted terms, plus the query terms among the
/// words of the file's path (each counts like one content occurrence, weighted by how few paths have it). Only numbers
/// are kept per file; the reasons are written for the files that are returned.
/// </summary>
internal sealed class Bm25Scorer
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly SpecQuery _query;
    private readonly FileSignals?[] _signals;
    private readonly int[] _lengths;
    private readonly double[] _idf;
    private readonly double[] _pathIdf;
    private readonly int[]?[] _pathWords;
    private readonly double _averageLength;

    /// <summary>Scores every candidate.</summary>
    public Bm25Scorer(SpecQuery query, IReadOnlyList<Candidate> candidates, FileSignals?[] signals, int[] lengths, bool[] loaded)
    {
        _query = query;
        _signals = signals;
        _lengths = lengths;
        var n = candidates.Count;
        var documents = 0;
        long totalLength = 0;
        var df = new int[query.Terms.Count];
        for (var i = 0; i < n; i++)
        {
            if (!loaded[i])
            {
                continue;
            }
            documents++;
            totalLength += lengths[i];
            foreach (var (term, _) in signals[i]?.Terms ?? [])
            {
                df[term]++;
            }
        }
        _idf = df.Select(d => Idf(documents, d)).ToArray();
        _averageLength = documents == 0 ? 1 : Math.Max(1.0, (double)totalLength / documents);
        _pathWords = new int[]?[n];
        var pathDf = new int[query.Terms.Count];
        for (var i = 0; i < n; i++)
        {
            _pathWords[i] = PathTerms(query, candidates[i].Path);
            foreach (var term in _pathWords[i] ?? [])
            {
                pathDf[term]++;
            }
        }
        _pathIdf = pathDf.Select(d => Idf(n, d)).ToArray();
        Raw = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            foreach (var (term, count) in signals[i]?.Terms ?? [])
            {
                sum += Part(i, term, count);
            }
            foreach (var term in _pathWords[i] ?? [])
            {
                sum += query.Weights[term] * _pathIdf[term];
            }
            Raw[i] = sum;
        }
        Best = n == 0 ? 0 : Raw.Max();
    }

    /// <summary>Each file's score.</summary>
    public double[] Raw { get; }

    /// <summary>The best score (0 when no file matches any term).</summary>
    public double Best { get; }

    /// <summary>File <paramref name="i"/>'s share of the best score, 0 to 1.</summary>
    public double Share(int i) => Best > 0 ? Raw[i] / Best : 0;

    /// <summary>Why file <paramref name="i"/> scored: its score and best terms, and the query words in its path.</summary>
    public IEnumerable<string> Reasons(int i)
    {
        if (Raw[i] <= 0)
        {
            yield break;
        }
        var terms = (_signals[i]?.Terms ?? [])
            .Select(t => (t.Term, Part: Part(i, t.Term, t.Count)))
            .OrderByDescending(t => t.Part).ThenBy(t => t.Term).Take(4)
            .Select(t => _query.Terms[t.Term]).ToList();
        if (terms.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"bm25 {Raw[i]:0.0} ({string.Join(", ", terms)})");
        }
        if (_pathWords[i] is { } words)
        {
            yield return "path words " + string.Join(", ", words.Select(t => _query.Terms[t]));
        }
    }

    private double Part(int i, int term, int count)
    {
        var norm = count + (K1 * (1 - B + (B * _lengths[i] / _averageLength)));
        return _query.Weights[term] * _idf[term] * count * (K1 + 1) / norm;
    }

    private static double Idf(int documents, int df) => Math.Log(1 + ((documents - df + 0.5) / (df + 0.5)));

    /// <summary>The query terms among the words of the folders and the file name (its extension excluded), or <c>null</c>.</summary>
    private static int[]? PathTerms(SpecQuery query, string path)
    {
        var dot = path.LastIndexOf('.');
        var end = dot > path.LastIndexOf('/') + 1 ? dot : path.Length;
        if (end > 512)
        {
            return null;
        }
        Span<byte> text = stackalloc byte[end];
        Span<byte> lower = stackalloc byte[end];
        for (var k = 0; k < end; k++)
        {
            text[k] = path[k] < 128 ? (byte)path[k] : (byte)' ';
            lower[k] = AsciiText.ToLower(text[k]);
        }
        List<int>? found = null;
        var w = 0;
        while (w < end)
        {
            var c = AsciiText.Classes[text[w]];
            if (c is 0 or AsciiText.Joiner)
            {
                w++;
                continue;
            }
            var wordEnd = AsciiText.WordEnd(text[..NextSeparator(text, w)], w);
            if (query.Table.Find(AsciiText.Hash(lower[w..wordEnd]), wordEnd - w, text[w..wordEnd], skipJoiners: false) is { Term: >= 0 } entry
                && !(found ??= []).Contains(entry.Term))
            {
                found.Add(entry.Term);
            }
            w = wordEnd;
        }
        return found?.ToArray();
    }

    private static int NextSeparator(ReadOnlySpan<byte> text, int from)
    {
        while (from < text.Length && AsciiText.Classes[text[from]] != 0)
        {
            from++;
        }
        return from;
    }
}
