using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// Scans the UTF-8 bytes of one file at a time for a <see cref="SpecQuery"/>: counts the query terms (every
/// identifier split into its words, and kept whole when it has several), the words in total, finds declarations of the
/// spec's identifiers, route literals of its endpoints, module references and declared type names. Allocates only for
/// what it finds. Not thread-safe: one instance per worker.
/// </summary>
internal sealed class ContentScanner
{
    /// <summary>Most declaration checks per file (a spec identifier that is also a common word is checked this often at most).</summary>
    internal const int MaxDeclarationChecks = 256;

    /// <summary>Most route literals examined per endpoint and file.</summary>
    private const int MaxRouteLiterals = 64;

    private const int MaxImportLength = 256;

    private readonly SpecQuery _query;
    private readonly int[] _counts;
    private readonly List<int> _touched = [];
    private readonly List<int> _declares = [];
    private readonly List<string> _imports = [];
    private readonly List<ulong> _types = [];
    private readonly List<(int, bool)> _routes = [];
    private readonly TokenMasks _masks = new();
    private int _declarationChecks;

    /// <summary>Creates a scanner for <paramref name="query"/>.</summary>
    public ContentScanner(SpecQuery query)
    {
        _query = query;
        _counts = new int[query.Terms.Count];
    }

    /// <summary>Scans <paramref name="text"/>.</summary>
    /// <param name="text">The file's bytes (UTF-8).</param>
    /// <param name="kind">What kind of source the file is (for headers and Python imports).</param>
    /// <param name="words">The number of words in the file (the document length for BM25).</param>
    /// <returns>What was found, or <c>null</c> when nothing was.</returns>
    public FileSignals? Scan(ReadOnlySpan<byte> text, SourceKind kind, out int words)
    {
        _declarationChecks = 0;
        var sink = new Sink(this, kind);
        words = IdentifierTokenizer.ScanKeyed(text, _masks, _query.Table.Pairs, ref sink, _types);
        if (_query.Endpoints.Count > 0)
        {
            FindRoutes(text, _routes);
        }
        return Collect(_routes);
    }

    /// <summary>Counts the query terms among the tokenizer's words and compounds, checks the spec's identifiers for
    /// declarations and reacts to keywords (imports, type declarations).</summary>
    private struct Sink(ContentScanner owner, SourceKind kind) : ITokenSink
    {
        // The entry of the token's last word found in the table (what a one-word token is).
        private TermTable.Entry? _single;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Word(ulong hash, ReadOnlySpan<byte> text, int from, int to)
        {
            if (owner._query.Table.FindKey(hash, to - from, text[from..to], skipJoiners: false) is { } entry)
            {
                owner.Add(entry.Term);
                _single = entry;
            }
        }

        public bool Token(ReadOnlySpan<byte> text, int start, int end, int words, int letters, int lastWordLength, ulong compound)
        {
            var single = _single;
            _single = null;
            if (words > 1)
            {
                if (owner._query.Table.FindKey(compound, letters, text[start..end], skipJoiners: true) is { } whole)
                {
                    owner.Add(whole.Term);
                    owner.CheckIdentifiers(whole, text, start, end, kind);
                }
                return false;
            }
            if (single is null)
            {
                return false;
            }
            owner.CheckIdentifiers(single, text, start, end, kind);
            if (single.Keyword == KeywordKind.None || single.Key.Length != end - start)
            {
                return false;
            }
            if (single.Keyword == KeywordKind.TypeDeclaration)
            {
                return true;
            }
            ReadImport(text, start, end, kind, owner._imports);
            return false;
        }
    }

    private void Add(int term)
    {
        if (term < 0)
        {
            return;
        }
        if (_counts[term]++ == 0)
        {
            _touched.Add(term);
        }
    }

    private void CheckIdentifiers(TermTable.Entry entry, ReadOnlySpan<byte> text, int start, int end, SourceKind kind)
    {
        if (entry.Identifiers is null || _declarationChecks >= MaxDeclarationChecks)
        {
            return;
        }
        var token = text[start..end];
        foreach (var id in entry.Identifiers)
        {
            if (!_declares.Contains(id) && token.SequenceEqual(_query.IdentifierBytes[id]))
            {
                _declarationChecks++;
                if (DefinitionDetector.IsDeclaration(text, start, end, kind == SourceKind.Header))
                {
                    _declares.Add(id);
                }
            }
        }
    }

    /// <summary>The 64-bit hash a declared type name is known by (<see cref="FileSignals.Types"/>): its exact bytes.</summary>
    internal static ulong TypeHash(ReadOnlySpan<byte> name) => System.IO.Hashing.XxHash3.HashToUInt64(name);

    /// <summary>The module named after <c>import</c>/<c>from</c>/<c>require</c>/<c>include</c>: a quoted (or, for
    /// <c>#include</c>, angle-bracketed) string, or for Python a dotted module name.</summary>
    internal static void ReadImport(ReadOnlySpan<byte> text, int start, int end, SourceKind kind, List<string> imports)
    {
        var j = end;
        while (j < text.Length && text[j] is (byte)' ' or (byte)'\t' or (byte)'(')
        {
            j++;
        }
        if (j >= text.Length || imports.Count >= 512)
        {
            return;
        }
        var open = text[j];
        if (open is (byte)'"' or (byte)'\'' or (byte)'`' || (open == (byte)'<' && text[start] == (byte)'i' && text[end - 1] == (byte)'e' && end - start == 7))
        {
            var close = open == (byte)'<' ? (byte)'>' : open;
            var body = text[(j + 1)..Math.Min(text.Length, j + 1 + MaxImportLength)];
            var length = body.IndexOfAny(close, (byte)'\n');
            if (length > 0 && body[length] == close)
            {
                var module = AsciiText.ToAsciiString(body[..length]);
                imports.Add(open == (byte)'<' ? "<" + module : module);
            }
            return;
        }
        if (kind != SourceKind.Python || !(open == (byte)'.' || AsciiText.ClassOf(open) != 0))
        {
            return;
        }
        // Python: "from .models import X" and "import pkg.mod" at the start of a line.
        if (text[start] == (byte)'i' && start > 0 && text[..start].TrimEnd(" \t"u8) is { Length: > 0 } before && before[^1] != (byte)'\n')
        {
            return;
        }
        var stop = j;
        while (stop < text.Length && stop - j < MaxImportLength && (text[stop] == (byte)'.' || AsciiText.ClassOf(text[stop]) != 0))
        {
            stop++;
        }
        imports.Add("py:" + AsciiText.ToAsciiString(text[j..stop]));
    }

    private void FindRoutes(ReadOnlySpan<byte> text, List<(int, bool)> found)
    {
        for (var e = 0; e < _query.Endpoints.Count; e++)
        {
            var endpoint = _query.Endpoints[e];
            var prefix = endpoint.StaticPrefix;
            if (prefix.Length < 2)
            {
                continue;
            }
            var best = (Found: false, WithMethod: false);
            var from = 0;
            for (var seen = 0; seen < MaxRouteLiterals && !best.WithMethod; seen++)
            {
                var at = text[from..].IndexOf(prefix);
                if (at < 0)
                {
                    break;
                }
                at += from;
                from = at + prefix.Length;
                if (at == 0 || text[at - 1] is not ((byte)'"' or (byte)'\'' or (byte)'`'))
                {
                    continue;
                }
                var quote = text[at - 1];
                var body = text[at..Math.Min(text.Length, at + MaxImportLength)];
                var length = body.IndexOfAny(quote, (byte)'\n');
                if (length < 0 || body[length] != quote || !endpoint.Matches(AsciiText.ToAsciiString(body[..length])))
                {
                    continue;
                }
                best = (true, best.WithMethod || LineHasMethod(text, at, endpoint.Method));
            }
            if (best.Found)
            {
                found.Add((e, best.WithMethod));
            }
        }
    }

    /// <summary>Whether the line around <paramref name="at"/> names <paramref name="method"/> as a word or a word part
    /// (<c>app.get(</c>, <c>[HttpGet(</c>, <c>@GetMapping(</c>, <c>MapGet(</c>, <c>"GET"</c>), ignoring case.</summary>
    private static bool LineHasMethod(ReadOnlySpan<byte> text, int at, string method)
    {
        var lineStart = text[..at].LastIndexOf((byte)'\n') + 1;
        var lineEnd = text[at..].IndexOf((byte)'\n');
        var line = text[lineStart..(lineEnd < 0 ? text.Length : at + lineEnd)];
        Span<byte> upper = stackalloc byte[method.Length];
        for (var i = 0; i < method.Length; i++)
        {
            upper[i] = (byte)method[i];
        }
        for (var i = 0; i + upper.Length <= line.Length; i++)
        {
            if (!EqualsIgnoreCase(line.Slice(i, upper.Length), upper))
            {
                continue;
            }
            var before = i == 0 ? (byte)0 : AsciiText.ClassOf(line[i - 1]);
            var after = i + upper.Length < line.Length ? AsciiText.ClassOf(line[i + upper.Length]) : (byte)0;
            var startsWord = (before & (AsciiText.Lower | AsciiText.Upper)) == 0
                || (before != AsciiText.Upper && AsciiText.ClassOf(line[i]) == AsciiText.Upper);
            if (startsWord && after != AsciiText.Lower)
            {
                return true;
            }
        }
        return false;
    }

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> upper)
    {
        for (var i = 0; i < upper.Length; i++)
        {
            if ((text[i] & 0xDF) != upper[i])
            {
                return false;
            }
        }
        return true;
    }

    private FileSignals? Collect(List<(int, bool)> routes)
    {
        if (_touched.Count == 0 && _declares.Count == 0 && routes.Count == 0 && _imports.Count == 0 && _types.Count == 0)
        {
            return null;
        }
        var terms = new (int, int)[_touched.Count];
        for (var t = 0; t < _touched.Count; t++)
        {
            terms[t] = (_touched[t], _counts[_touched[t]]);
            _counts[_touched[t]] = 0;
        }
        var signals = new FileSignals
        {
            Terms = terms,
            Declares = [.. _declares],
            Routes = [.. routes],
            Imports = [.. _imports],
            Types = [.. _types],
        };
        _touched.Clear();
        _declares.Clear();
        _imports.Clear();
        _types.Clear();
        routes.Clear();
        return signals;
    }

}
