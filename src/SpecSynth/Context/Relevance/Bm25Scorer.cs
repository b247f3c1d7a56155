using System.Globalization;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// BM25 (k1 = 1.2, b = 0.75) of every file's words against the spec's weighted terms, plus the query terms among the
/// words of the file's path (each counts like one content occurrence, weighted by how few paths have it). Only numbers
/// are kept per file (path terms in one flat array; a folder's words are found once for all its files); the reasons are
/// written for the files that are returned.
/// </summary>
internal sealed class Bm25Scorer
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly SpecQuery _query;
    private readonly FileSignals?[] _signals;
    private readonly int[] _lengths;
    private readonly double[] _weights;
    private readonly double[] _idf;
    private readonly double[] _pathIdf;
    private readonly int[] _pathStart;
    private readonly int[] _pathTerms;
    private readonly double _averageLength;

    /// <summary>Scores every candidate.</summary>
    public Bm25Scorer(SpecQuery query, IReadOnlyList<Candidate> candidates, FileSignals?[] signals, int[] lengths, bool[] loaded)
    {
        _query = query;
        _signals = signals;
        _lengths = lengths;
        var n = candidates.Count;
        var termCount = query.Terms.Count;
        _weights = new double[termCount];
        for (var t = 0; t < termCount; t++)
        {
            _weights[t] = query.Weights[t];
        }
        var documents = 0;
        long totalLength = 0;
        var df = new int[termCount];
        for (var i = 0; i < n; i++)
        {
            if (!loaded[i])
            {
                continue;
            }
            documents++;
            totalLength += lengths[i];
            if (signals[i] is { } s)
            {
                foreach (var (term, _) in s.Terms)
                {
                    df[term]++;
                }
            }
        }
        _idf = new double[termCount];
        for (var t = 0; t < termCount; t++)
        {
            _idf[t] = Idf(documents, df[t]);
        }
        _averageLength = documents == 0 ? 1 : Math.Max(1.0, (double)totalLength / documents);

        _pathStart = new int[n + 1];
        var pathTerms = new int[Math.Max(16, n)];
        var count = 0;
        var pathDf = new int[termCount];
        var folderTerms = new int[16];
        var folderCount = 0;
        string? folderOf = null;
        var folderLength = -1;
        for (var i = 0; i < n; i++)
        {
            var path = candidates[i].Path;
            var slash = path.LastIndexOf('/');
            var dot = path.LastIndexOf('.');
            var end = dot > slash + 1 ? dot : path.Length;
            if (end <= 512)
            {
                var folder = slash + 1;
                if (folderOf is null || folder != folderLength || string.CompareOrdinal(path, 0, folderOf, 0, folder) != 0)
                {
                    folderCount = 0;
                    AddTerms(query, path.AsSpan(0, folder), ref folderTerms, 0, ref folderCount);
                    folderOf = path;
                    folderLength = folder;
                }
                if (pathTerms.Length < count + folderCount + 64)
                {
                    Array.Resize(ref pathTerms, Math.Max(pathTerms.Length * 2, count + folderCount + 64));
                }
                var first = count;
                Array.Copy(folderTerms, 0, pathTerms, count, folderCount);
                count += folderCount;
                AddTerms(query, path.AsSpan(folder, end - folder), ref pathTerms, first, ref count);
                for (var k = first; k < count; k++)
                {
                    pathDf[pathTerms[k]]++;
                }
            }
            _pathStart[i + 1] = count;
        }
        _pathTerms = pathTerms;
        _pathIdf = new double[termCount];
        for (var t = 0; t < termCount; t++)
        {
            _pathIdf[t] = Idf(n, pathDf[t]);
        }
        Raw = new double[n];
        var best = 0.0;
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            if (signals[i] is { } s)
            {
                foreach (var (term, tf) in s.Terms)
                {
                    sum += Part(i, term, tf);
                }
            }
            for (var k = _pathStart[i]; k < _pathStart[i + 1]; k++)
            {
                var term = _pathTerms[k];
                sum += _weights[term] * _pathIdf[term];
            }
            Raw[i] = sum;
            best = i == 0 || sum > best ? sum : best;
        }
        Best = n == 0 ? 0 : best;
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
        var reasons = new List<string>(2);
        AddReasons(i, reasons);
        return reasons;
    }

    /// <summary>Adds <see cref="Reasons"/> of file <paramref name="i"/> to <paramref name="into"/>.</summary>
    public void AddReasons(int i, List<string> into)
    {
        if (Raw[i] <= 0)
        {
            return;
        }
        var terms = _signals[i]?.Terms ?? [];
        if (terms.Length > 0)
        {
            // The four best terms by their part of the score (ties: the lower term id first).
            Span<int> chosen = stackalloc int[4];
            Span<double> parts = stackalloc double[4];
            var taken = 0;
            foreach (var (term, tf) in terms)
            {
                var part = Part(i, term, tf);
                var at = taken;
                while (at > 0 && (part > parts[at - 1] || (part == parts[at - 1] && term < chosen[at - 1])))
                {
                    at--;
                }
                if (at >= 4)
                {
                    continue;
                }
                for (var k = Math.Min(taken, 3); k > at; k--)
                {
                    chosen[k] = chosen[k - 1];
                    parts[k] = parts[k - 1];
                }
                chosen[at] = term;
                parts[at] = part;
                taken = Math.Min(taken + 1, 4);
            }
            var names = new string[taken];
            for (var k = 0; k < taken; k++)
            {
                names[k] = _query.Terms[chosen[k]];
            }
            into.Add(string.Create(CultureInfo.InvariantCulture, $"bm25 {Raw[i]:0.0} ({string.Join(", ", names)})"));
        }
        if (_pathStart[i + 1] > _pathStart[i])
        {
            var words = new string[_pathStart[i + 1] - _pathStart[i]];
            for (var k = 0; k < words.Length; k++)
            {
                words[k] = _query.Terms[_pathTerms[_pathStart[i] + k]];
            }
            into.Add("path words " + string.Join(", ", words));
        }
    }

    private double Part(int i, int term, int count)
    {
        var norm = count + (K1 * (1 - B + (B * _lengths[i] / _averageLength)));
        return _weights[term] * _idf[term] * count * (K1 + 1) / norm;
    }

    private static double Idf(int documents, int df) => Math.Log(1 + ((documents - df + 0.5) / (df + 0.5)));

    /// <summary>Appends the query terms among the words of <paramref name="part"/> (folders, or a file name without its
    /// extension) to <paramref name="terms"/>, skipping those already in <c>terms[from..count]</c>.</summary>
    private static void AddTerms(SpecQuery query, ReadOnlySpan<char> part, ref int[] terms, int from, ref int count)
    {
        Span<byte> text = part.Length <= 512 ? stackalloc byte[part.Length] : new byte[part.Length];
        Span<byte> lower = part.Length <= 512 ? stackalloc byte[part.Length] : new byte[part.Length];
        for (var k = 0; k < part.Length; k++)
        {
            text[k] = part[k] < 128 ? (byte)part[k] : (byte)' ';
            lower[k] = AsciiText.ToLower(text[k]);
        }
        var w = 0;
        while (w < text.Length)
        {
            var c = AsciiText.Classes[text[w]];
            if (c is 0 or AsciiText.Joiner)
            {
                w++;
                continue;
            }
            var wordEnd = AsciiText.WordEnd(text[..NextSeparator(text, w)], w);
            if (query.Table.Find(AsciiText.Hash(lower[w..wordEnd]), wordEnd - w, text[w..wordEnd], skipJoiners: false) is { Term: >= 0 } entry
                && !Holds(terms, from, count, entry.Term))
            {
                if (count == terms.Length)
                {
                    Array.Resize(ref terms, terms.Length * 2);
                }
                terms[count++] = entry.Term;
            }
            w = wordEnd;
        }
    }

    private static bool Holds(int[] terms, int from, int to, int term)
    {
        for (var k = from; k < to; k++)
        {
            if (terms[k] == term)
            {
                return true;
            }
        }
        return false;
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
