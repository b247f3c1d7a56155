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

    private static readonly (byte[] Word, KeywordKind Kind)[] KeywordBytes = Keywords.Select(k => (Encoding.ASCII.GetBytes(k.Word), k.Kind)).ToArray();

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
        var counts = new Dictionary<string, (int Count, int First, bool Code)>(StringComparer.Ordinal);
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
        var kept = counts.Where(kv => kv.Key.Length >= 2 && !StopWords.Contains(kv.Key))
            .Select(kv => (Term: kv.Key, Weight: (1 + Math.Log(kv.Value.Count)) * (kv.Value.Code ? 1.5 : 1.0), kv.Value.First))
            .OrderByDescending(t => t.Weight).ThenBy(t => t.First).Take(MaxTerms)
            .OrderBy(t => t.First).ToList();
        var terms = kept.Select(t => t.Term).ToList();
        // Every identifier's compound is a term, so a mention of it in code is found while counting.
        foreach (var identifier in identifiers)
        {
            var folded = Fold(identifier);
            if (folded.Length > 0 && !terms.Contains(folded))
            {
                terms.Add(folded);
                kept.Add((folded, 1.5, int.MaxValue));
            }
        }
        var identifierTerms = terms.Select(t => (int[]?)null).ToList();
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
        return new SpecQuery(terms, kept.Select(t => t.Weight).ToList(), identifiers, endpoints, spec.ReferencedPaths, names, identifierTerms);
    }

    /// <summary>The identifier lower-cased without joiners (<c>max_header_size</c> and <c>maxHeaderSize</c> both give <c>maxheadersize</c>).</summary>
    internal static string Fold(string identifier) =>
        string.Concat(identifier.Where(c => c is not ('_' or '$')).Select(char.ToLowerInvariant));

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

    private static void Count(Dictionary<string, (int Count, int First, bool Code)> counts, string word, int position, bool inCode)
    {
        counts[word] = counts.TryGetValue(word, out var seen)
            ? (seen.Count + 1, seen.First, seen.Code || inCode)
            : (1, position, inCode);
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
