using System.Text;
using System.Text.RegularExpressions;
using SpecSynth.Specs;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// What a spec asks the ranker to look for: weighted query terms (the words of the spec, identifiers split into their
/// words and kept whole), the identifiers it names (types, functions), the HTTP endpoints it names, and the paths it
/// mentions. Built once per ranking; immutable.
/// </summary>
internal sealed partial class SpecQuery
{
    /// <summary>Most query terms kept (the highest weighted); long specs repeat themselves.</summary>
    public const int MaxTerms = 256;

    /// <summary>Most identifiers kept (first mentioned first).</summary>
    public const int MaxIdentifiers = 64;

    private static readonly (string Word, KeywordKind Kind)[] Keywords =
    [
        ("import", KeywordKind.Import), ("from", KeywordKind.Import), ("require", KeywordKind.Import),
        ("include", KeywordKind.Import), ("class", KeywordKind.TypeDeclaration), ("struct", KeywordKind.TypeDeclaration),
        ("interface", KeywordKind.TypeDeclaration), ("enum", KeywordKind.TypeDeclaration),
        ("record", KeywordKind.TypeDeclaration), ("trait", KeywordKind.TypeDeclaration),
        ("protocol", KeywordKind.TypeDeclaration),
    ];

    private static readonly (byte[] Word, KeywordKind Kind)[] KeywordBytes = AsBytes(Keywords);

    private SpecQuery(List<string> terms, List<double> weights, List<string> identifiers, List<Endpoint> endpoints,
        IReadOnlyList<string> paths, HashSet<string> names, List<int[]?> identifierTerms)
    {
        Terms = terms;
        Weights = weights;
        Identifiers = identifiers;
        IdentifierBytes = identifiers.Select(Encoding.ASCII.GetBytes).ToArray();
        Endpoints = endpoints;
        NamedPaths = paths;
        Names = names;
        Table = new TermTable(terms, identifierTerms, Keywords);
    }

    /// <summary>The query terms (lower case, joiners removed); the index is the term id.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The weight of each term: <c>1 + ln(count)</c>, times 1.5 for words of code spans and identifiers.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The identifiers the spec names, exact case; the index is the identifier id.</summary>
    public IReadOnlyList<string> Identifiers { get; }

    /// <summary>The identifiers as ASCII bytes.</summary>
    public IReadOnlyList<byte[]> IdentifierBytes { get; }

    /// <summary>The HTTP endpoints the spec names.</summary>
    public IReadOnlyList<Endpoint> Endpoints { get; }

    /// <summary>The relative paths the spec mentions (<see cref="Specification.ReferencedPaths"/>).</summary>
    public IReadOnlyList<string> NamedPaths { get; }

    /// <summary>Identifier-like names of the spec, lower case, that a file stem may equal (<c>node_file</c>).</summary>
    public IReadOnlySet<string> Names { get; }

    /// <summary>The lookup table the scanner probes.</summary>
    public TermTable Table { get; }

    /// <summary>The scanner's keywords (lower case).</summary>
    internal static IEnumerable<string> KeywordWords => Keywords.Select(k => k.Word);

    /// <summary>The keyword kind of a lower-case word (<see cref="KeywordKind.None"/> when it is none of the scanner's keywords).</summary>
    internal static KeywordKind KeywordOf(ReadOnlySpan<byte> lower)
    {
        foreach (var (word, kind) in KeywordBytes)
        {
            if (lower.SequenceEqual(word))
            {
                return kind;
            }
        }
        return KeywordKind.None;
    }

    /// <summary>Reads the query out of <paramref name="spec"/>.</summary>
    public static SpecQuery From(Specification spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = spec.RawText;
        var counts = new Dictionary<string, Seen>(StringComparer.Ordinal);
        var identifiers = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        var codeSpans = CodeSpans(bytes);
        var pathSpans = PathSpans(bytes, spec.ReferencedPaths);
        var position = 0;
        foreach (var (start, end) in new AsciiTokens(bytes))
        {
            position++;
            var token = bytes.AsSpan(start, end - start);
            if ((AsciiText.ClassOf(token[0]) & AsciiText.Digit) != 0)
            {
                continue;
            }
            var inCode = codeSpans.Any(s => s.Index < start && start < s.End);
            // The words of a path the spec names are not query words: the path itself already decides ("src", "js").
            var inPath = pathSpans.Any(s => s.Index <= start && end <= s.End);
            var words = 0;
            var compound = new StringBuilder();
            for (var w = Skip(token, 0); w < token.Length; w = Skip(token, AsciiText.WordEnd(token, w)))
            {
                var wordEnd = AsciiText.WordEnd(token, w);
                var word = Lower(token[w..wordEnd]);
                compound.Append(word);
                words++;
                if (!inPath)
                {
                    Count(counts, word, position, inCode);
                }
            }
            if (words == 0)
            {
                continue;
            }
            if (words > 1 && !inPath)
            {
                Count(counts, compound.ToString(), position, inCode);
            }
            var raw = AsciiText.ToAsciiString(token);
            var calledAt = end < bytes.Length && bytes[end] == (byte)'(';
            var wholeSpan = inCode && codeSpans.Any(s => s.Index + 1 == start && s.End - 1 == end);
            if (!inPath && token.Length >= 3 && (words > 1 || calledAt || (wholeSpan && token.Length >= 4)) && !StopWords.Contains(compound.ToString())
                && identifiers.Count < MaxIdentifiers && !identifiers.Contains(raw))
            {
                identifiers.Add(raw);
            }
            if (words > 1 || inCode)
            {
                names.Add(raw.ToLowerInvariant());
            }
        }
        var (terms, weights) = Kept(counts);
        // Every identifier's compound is a term, so a mention of it in code is found while counting.
        foreach (var identifier in identifiers)
        {
            var folded = Fold(identifier);
            if (folded.Length > 0 && !terms.Contains(folded))
            {
                terms.Add(folded);
                weights.Add(1.5);
            }
        }
        var identifierTerms = new List<int[]?>(terms.Count);
        identifierTerms.AddRange(new int[]?[terms.Count]);
        for (var i = 0; i < identifiers.Count; i++)
        {
            var term = terms.IndexOf(Fold(identifiers[i]));
            if (term >= 0)
            {
                identifierTerms[term] = [.. identifierTerms[term] ?? [], i];
            }
        }
        var endpoints = EndpointPattern().Matches(text)
            .Select(m => new Endpoint(m.Groups["method"].Value.ToUpperInvariant(), m.Groups["path"].Value.TrimEnd('.', ',', ';', ':', ')')))
            .DistinctBy(e => e.ToString()).ToList();
        return new SpecQuery(terms, weights, identifiers, endpoints, spec.ReferencedPaths, names, identifierTerms);
    }

    /// <summary>The terms kept and their weights, in order of first mention: the <see cref="MaxTerms"/> highest weighted
    /// (ties: mentioned first, then counted first). Plain arrays and a stable merge sort rather than LINQ's sorts over value
    /// tuples, which ReadyToRun leaves to the JIT on every run.</summary>
    internal static (List<string> Terms, List<double> Weights) Kept(Dictionary<string, Seen> counts)
    {
        var names = new string[counts.Count];
        var weights = new double[counts.Count];
        var firsts = new int[counts.Count];
        var n = 0;
        foreach (var (term, seen) in counts)
        {
            if (term.Length >= 2 && !StopWords.Contains(term))
            {
                names[n] = term;
                weights[n] = (1 + Math.Log(seen.Count)) * (seen.Code ? 1.5 : 1.0);
                firsts[n] = seen.First;
                n++;
            }
        }
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        // The highest weights first, then the first mentioned (the sort is stable: equal ones keep their counted order).
        MergeSort(order, (a, b) => weights[a] != weights[b] ? weights[b].CompareTo(weights[a]) : firsts[a].CompareTo(firsts[b]));
        var top = order.AsSpan(0, Math.Min(n, MaxTerms)).ToArray();
        // Then by first mention; ties keep the order above.
        MergeSort(top, (a, b) => firsts[a].CompareTo(firsts[b]));
        var terms = new List<string>(top.Length);
        var kept = new List<double>(top.Length);
        foreach (var i in top)
        {
            terms.Add(names[i]);
            kept.Add(weights[i]);
        }
        return (terms, kept);
    }

    private static (byte[] Word, KeywordKind Kind)[] AsBytes((string Word, KeywordKind Kind)[] keywords)
    {
        var bytes = new (byte[] Word, KeywordKind Kind)[keywords.Length];
        for (var i = 0; i < keywords.Length; i++)
        {
            bytes[i] = (Encoding.ASCII.GetBytes(keywords[i].Word), keywords[i].Kind);
        }
        return bytes;
    }

    /// <summary>A stable sort of <paramref name="items"/> by <paramref name="compare"/>.</summary>
    internal static void MergeSort(int[] items, Comparison<int> compare)
    {
        var from = items;
        var to = new int[items.Length];
        for (var width = 1; width < items.Length; width *= 2)
        {
            for (var lo = 0; lo < items.Length; lo += 2 * width)
            {
                int mid = Math.Min(lo + width, items.Length), hi = Math.Min(lo + (2 * width), items.Length), a = lo, b = mid, k = lo;
                while (a < mid && b < hi)
                {
                    to[k++] = compare(from[b], from[a]) < 0 ? from[b++] : from[a++];
                }
                while (a < mid)
                {
                    to[k++] = from[a++];
                }
                while (b < hi)
                {
                    to[k++] = from[b++];
                }
            }
            (from, to) = (to, from);
        }
        if (!ReferenceEquals(from, items))
        {
            from.CopyTo(items, 0);
        }
    }

    /// <summary>The identifier lower-cased without joiners (<c>max_header_size</c> and <c>maxHeaderSize</c> both give <c>maxheadersize</c>).</summary>
    internal static string Fold(string identifier)
    {
        var folded = new StringBuilder(identifier.Length);
        foreach (var c in identifier)
        {
            if (c is not ('_' or '$'))
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }
        return folded.ToString();
    }

    private static int Skip(ReadOnlySpan<byte> token, int at)
    {
        while (at < token.Length && AsciiText.ClassOf(token[at]) == AsciiText.Joiner)
        {
            at++;
        }
        return at;
    }

    private static string Lower(ReadOnlySpan<byte> word)
    {
        Span<byte> lower = word.Length <= 256 ? stackalloc byte[word.Length] : new byte[word.Length];
        for (var i = 0; i < word.Length; i++)
        {
            lower[i] = AsciiText.ToLower(word[i]);
        }
        return AsciiText.ToAsciiString(lower);
    }

    private static void Count(Dictionary<string, Seen> counts, string word, int position, bool inCode)
    {
        if (counts.TryGetValue(word, out var seen))
        {
            seen.Count++;
            seen.Code |= inCode;
        }
        else
        {
            counts.Add(word, new Seen { Count = 1, First = position, Code = inCode });
        }
    }

    /// <summary>How often a word was seen, where first, whether ever in code. A class, not a value tuple: a dictionary of
    /// strings to a reference type runs the shared, precompiled code, where one to a value tuple is compiled by the JIT on
    /// every run (~17 methods, issue 19).</summary>
    internal sealed class Seen
    {
        public int Count { get; set; }

        public int First { get; init; }

        public bool Code { get; set; }
    }

    /// <summary>Every occurrence of the named paths in <paramref name="text"/>, as byte ranges.</summary>
    private static List<(int Index, int End)> PathSpans(byte[] text, IReadOnlyList<string> paths)
    {
        var spans = new List<(int, int)>();
        foreach (var path in paths)
        {
            var needle = Encoding.UTF8.GetBytes(path);
            for (var at = text.AsSpan().IndexOf(needle); at >= 0;)
            {
                spans.Add((at, at + needle.Length));
                var next = text.AsSpan(at + needle.Length).IndexOf(needle);
                at = next < 0 ? -1 : at + needle.Length + next;
            }
        }
        return spans;
    }

    /// <summary>The single-backtick code spans of <paramref name="text"/> as byte ranges, backticks included.</summary>
    private static List<(int Index, int End)> CodeSpans(byte[] text)
    {
        var spans = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != (byte)'`')
            {
                i++;
                continue;
            }
            var run = i;
            while (run < text.Length && text[run] == (byte)'`')
            {
                run++;
            }
            if (run - i > 1)
            {
                i = run; // a fence or a double-backtick span: its text is still scanned, just not as a code span
                continue;
            }
            var close = i + 1;
            while (close < text.Length && text[close] is not ((byte)'`' or (byte)'\n'))
            {
                close++;
            }
            if (close < text.Length && text[close] == (byte)'`' && close > i + 1)
            {
                spans.Add((i, close + 1));
                i = close + 1;
            }
            else
            {
                i = close;
            }
        }
        return spans;
    }

    [GeneratedRegex(@"\b(?<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(?<path>/[A-Za-z0-9_\-./{}:<>\[\]]*)")]
    private static partial Regex EndpointPattern();
}
