using System.Runtime.CompilerServices;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Context.Index;

/// <summary>
/// Scans the UTF-8 bytes of one file into a <see cref="FileRecord"/>: the same tokens, words, compounds, keywords,
/// imports and type declarations <see cref="ContentScanner"/> finds, but for every word instead of one spec's terms, so
/// the record answers any spec (<see cref="IndexQuery"/>). Not thread-safe: one instance per worker.
/// </summary>
internal sealed class RecordScanner
{
    private const int MaxRouteLength = 256;

    private readonly TermCounter _terms = new();
    private readonly HashSet<ulong> _declared = [];
    private readonly HashSet<ulong> _routes = [];
    private readonly List<string> _imports = [];
    private readonly List<ulong> _types = [];

    /// <summary>Scans <paramref name="text"/>, a file of kind <paramref name="kind"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FileRecord Scan(ReadOnlySpan<byte> text, SourceKind kind)
    {
        var words = 0;
        var pendingType = -1;
        var i = 0;
        var classes = AsciiText.Classes;
        while (i < text.Length)
        {
            var first = classes[text[i]];
            if (first == 0)
            {
                i++;
                continue;
            }
            var start = i;
            var typeKeywordEnd = pendingType;
            pendingType = -1;
            if ((first & AsciiText.Digit) == 0)
            {
                i = Token(text, start, kind, ref pendingType, ref words);
            }
            else
            {
                while (i < text.Length && classes[text[i]] != 0)
                {
                    i++;
                }
            }
            if (typeKeywordEnd >= 0)
            {
                ContentScanner.RecordType(text, typeKeywordEnd, start, i, _types);
            }
        }
        FindRouteLiterals(text);
        var record = new FileRecord
        {
            Words = words,
            Flags = FileRecord.LoadedFlag,
            TermHashes = _terms.Hashes(),
            TermCounts = _terms.Counts(),
            Declared = [.. _declared.Order()],
            Routes = [.. _routes.Order()],
            Types = [.. _types],
            Imports = [.. _imports],
        };
        _terms.Clear();
        _declared.Clear();
        _routes.Clear();
        _imports.Clear();
        _types.Clear();
        return record;
    }

    /// <summary>As <see cref="ContentScanner"/>'s token pass: counts every word of two letters or more and, for a token
    /// of several words, the compound; records declarations and reacts to keywords.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Token(ReadOnlySpan<byte> text, int start, SourceKind kind, ref int pendingType, ref int words)
    {
        var classes = AsciiText.Classes;
        var lowers = AsciiText.Lowers;
        var compound = IndexHash.Seed;
        var word = IndexHash.Seed;
        var wordStart = -1;
        var count = 0;
        var lastWordLength = 0;
        var previous = (byte)0;
        var k = start;
        for (; k < text.Length; k++)
        {
            var b = text[k];
            var current = classes[b];
            if (current == 0)
            {
                break;
            }
            if (current == AsciiText.Joiner)
            {
                if (wordStart >= 0)
                {
                    count++;
                    lastWordLength = Word(word, k - wordStart);
                    wordStart = -1;
                }
                previous = current;
                continue;
            }
            if (wordStart >= 0 && current == AsciiText.Upper
                && (previous != AsciiText.Upper || (k + 1 < text.Length && classes[text[k + 1]] == AsciiText.Lower)))
            {
                count++;
                lastWordLength = Word(word, k - wordStart);
                wordStart = -1;
            }
            if (wordStart < 0)
            {
                wordStart = k;
                word = IndexHash.Seed;
            }
            var lower = lowers[b];
            word = IndexHash.Add(word, lower);
            compound = IndexHash.Add(compound, lower);
            previous = current;
        }
        var end = k;
        if (wordStart >= 0)
        {
            count++;
            lastWordLength = Word(word, end - wordStart);
        }
        words += count;
        if (count > 1)
        {
            _terms.Add(IndexHash.Finish(compound));
            CheckDeclaration(text, start, end, kind);
        }
        else if (count == 1 && lastWordLength >= 2)
        {
            CheckDeclaration(text, start, end, kind);
            if (lastWordLength == end - start && Keyword(text[start..end]) is var keyword and not KeywordKind.None)
            {
                if (keyword == KeywordKind.TypeDeclaration)
                {
                    pendingType = end;
                }
                else
                {
                    ContentScanner.ReadImport(text, start, end, kind, _imports);
                }
            }
        }
        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Word(ulong hash, int length)
    {
        if (length >= 2)
        {
            _terms.Add(IndexHash.Finish(hash));
        }
        return length;
    }

    /// <summary>Records the token when one of its occurrences declares it (a spec identifier has three characters or more).</summary>
    private void CheckDeclaration(ReadOnlySpan<byte> text, int start, int end, SourceKind kind)
    {
        if (end - start < 3 || !DefinitionDetector.MayDeclare(text, start, end))
        {
            return;
        }
        var hash = IndexHash.Token(text[start..end]);
        if (!_declared.Contains(hash) && DefinitionDetector.IsDeclaration(text, start, end, kind == SourceKind.Header))
        {
            _declared.Add(hash);
        }
    }

    /// <summary>The keyword the token is (ignoring case), as <see cref="SpecQuery"/>'s table knows them.</summary>
    private static KeywordKind Keyword(ReadOnlySpan<byte> token)
    {
        if (token.Length is < 4 or > 9)
        {
            return KeywordKind.None;
        }
        Span<byte> lower = stackalloc byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            lower[i] = AsciiText.ToLower(token[i]);
        }
        return SpecQuery.KeywordOf(lower);
    }

    /// <summary>Every quoted literal that starts with <c>/</c> and closes on its line within 256 bytes: a route an
    /// endpoint of a spec may match (<see cref="ContentScanner"/> looks at exactly these).</summary>
    private void FindRouteLiterals(ReadOnlySpan<byte> text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var at = text[from..].IndexOfAny("\"'`"u8);
            if (at < 0)
            {
                return;
            }
            at += from;
            from = at + 1;
            if (at + 1 >= text.Length || text[at + 1] != (byte)'/')
            {
                continue;
            }
            var quote = text[at];
            var body = text[(at + 1)..Math.Min(text.Length, at + 1 + MaxRouteLength)];
            var length = body.IndexOfAny(quote, (byte)'\n');
            if (length > 0 && body[length] == quote)
            {
                _routes.Add(IndexHash.Route(Endpoint.Split(AsciiText.ToAsciiString(body[..length]))));
            }
        }
    }
}
