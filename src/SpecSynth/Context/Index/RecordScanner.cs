using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    // Sets of hashes: the class the terms are counted with, so a few files scanned after a warm start compile no set
    // type of their own. The declared tokens' counts are their terms' counts at their first declaration; the routes'
    // are unused.
    private readonly TermCounter _declared = new();
    private readonly TermCounter _routes = new();
    private readonly List<string> _imports = [];
    private readonly List<ulong> _types = [];

    private ulong[] _sorted = new ulong[64];
    private int[] _declaredCounts = new int[64];
    private byte[] _blob = new byte[1 << 16];

    /// <summary>Scans <paramref name="text"/>, a file of kind <paramref name="kind"/>.</summary>
    public FileRecord Scan(ReadOnlySpan<byte> text, SourceKind kind)
    {
        var words = Run(text, kind);
        var record = new FileRecord
        {
            Words = words,
            Flags = FileRecord.LoadedFlag,
            TermHashes = _terms.Hashes(),
            TermCounts = _terms.Counts(),
            Declared = Sorted(_declared),
            DeclaredCounts = DeclaredCounts(),
            Routes = Sorted(_routes),
            Types = [.. _types],
            Imports = [.. _imports],
        };
        Clear();
        return record;
    }

    /// <summary>Scans <paramref name="text"/> into a record blob (the bytes <see cref="FileRecord.Encode"/> gives for
    /// <see cref="Scan"/>'s record) held by this scanner until its next scan, allocating nothing;
    /// <paramref name="storable"/> as <see cref="FileRecord.Storable"/>.</summary>
    public ReadOnlySpan<byte> ScanInto(ReadOnlySpan<byte> text, SourceKind kind, out bool storable)
    {
        var words = Run(text, kind);
        var terms = _terms.Count;
        var declared = _declared.Count;
        var routes = _routes.Count;
        if (_sorted.Length < declared + routes)
        {
            _sorted = new ulong[Math.Max(declared + routes, _sorted.Length * 2)];
        }
        _declared.HashSpan.CopyTo(_sorted);
        _routes.HashSpan.CopyTo(_sorted.AsSpan(declared));
        _sorted.AsSpan(0, declared).Sort();
        _sorted.AsSpan(declared, routes).Sort();
        if (_declaredCounts.Length < declared)
        {
            _declaredCounts = new int[Math.Max(declared, _declaredCounts.Length * 2)];
        }
        for (var d = 0; d < declared; d++)
        {
            _declaredCounts[d] = _declared.CountAt(_declared.IndexOf(_sorted[d]));
        }
        var length = FileRecord.EncodedLength(terms, declared, routes, _types.Count, _imports);
        if (_blob.Length < length)
        {
            _blob = new byte[Math.Max(length, _blob.Length * 2)];
        }
        FileRecord.EncodeTo(_blob, words, FileRecord.LoadedFlag, _terms.HashSpan, _terms.CountSpan, _sorted.AsSpan(0, declared),
            _declaredCounts.AsSpan(0, declared), _sorted.AsSpan(declared, routes), CollectionsMarshal.AsSpan(_types), _imports);
        storable = FileRecord.Storable(_imports);
        Clear();
        return _blob.AsSpan(0, length);
    }

    private int Run(ReadOnlySpan<byte> text, SourceKind kind)
    {
        var sink = new Sink(this, kind);
        var words = IdentifierTokenizer.Scan(text, ref sink, _types);
        FindRouteLiterals(text);
        return words;
    }

    /// <summary>The declared tokens' counts at first declaration, in the order of <see cref="Sorted"/>'s hashes.</summary>
    private int[] DeclaredCounts()
    {
        var sorted = Sorted(_declared);
        var counts = new int[sorted.Length];
        for (var d = 0; d < sorted.Length; d++)
        {
            counts[d] = _declared.CountAt(_declared.IndexOf(sorted[d]));
        }
        return counts;
    }

    private static ulong[] Sorted(TermCounter set)
    {
        var hashes = set.Hashes();
        hashes.AsSpan().Sort();
        return hashes;
    }

    private void Clear()
    {
        _terms.Clear();
        _declared.Clear();
        _routes.Clear();
        _imports.Clear();
        _types.Clear();
    }

    /// <summary>As <see cref="ContentScanner"/>'s sink, for every word: counts every word of two letters or more and,
    /// for a token of several words, the compound; records declarations and reacts to keywords.</summary>
    private struct Sink(RecordScanner owner, SourceKind kind) : ITokenSink
    {
        // The hash of the last word counted: for a one-word token, the token's own (lower case), which tells a keyword.
        private ulong _last;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Word(ulong hash, ReadOnlySpan<byte> text, int from, int to)
        {
            _last = IndexHash.Finish(hash);
            owner._terms.Add(_last);
        }

        public bool Token(ReadOnlySpan<byte> text, int start, int end, int words, int letters, int lastWordLength, ulong compound)
        {
            if (words > 1)
            {
                var term = IndexHash.Finish(compound);
                owner._terms.Add(term);
                owner.CheckDeclaration(text, start, end, kind, term);
                return false;
            }
            if (words != 1 || lastWordLength < 2)
            {
                return false;
            }
            owner.CheckDeclaration(text, start, end, kind, _last);
            // A keyword is one word of letters: its hash is its lower-cased text's, so a token whose hash is no
            // keyword's is none (and a hash that is one is confirmed on the bytes).
            if (lastWordLength == end - start && MaybeKeyword(_last)
                && Keyword(text[start..end]) is var keyword and not KeywordKind.None)
            {
                if (keyword == KeywordKind.TypeDeclaration)
                {
                    return true;
                }
                ContentScanner.ReadImport(text, start, end, kind, owner._imports);
            }
            return false;
        }
    }

    /// <summary>Records the token when one of its occurrences declares it (a spec identifier has three characters or more),
    /// with the count <paramref name="term"/> (the hash the token is counted under) has reached, this occurrence included.</summary>
    private void CheckDeclaration(ReadOnlySpan<byte> text, int start, int end, SourceKind kind, ulong term)
    {
        if (end - start < 3 || !DefinitionDetector.MayDeclare(text, start, end))
        {
            return;
        }
        var hash = IndexHash.Token(text[start..end]);
        if (_declared.IndexOf(hash) < 0 && DefinitionDetector.IsDeclaration(text, start, end, kind == SourceKind.Header))
        {
            _declared.Add(hash);
            // (Never uncounted; were it so, no bound: the query then falls back on the term's count in the file.)
            var at = _terms.IndexOf(term);
            _declared.SetCount(_declared.Count - 1, at >= 0 ? _terms.CountAt(at) : int.MaxValue);
        }
    }

    /// <summary>The word hashes of the keywords, in 64 slots by their low bits (each slot the keyword hashes that fall there).</summary>
    private static readonly ulong[][] KeywordHashes = BuildKeywordHashes();

    private static ulong[][] BuildKeywordHashes()
    {
        var slots = new List<ulong>[64];
        for (var s = 0; s < slots.Length; s++)
        {
            slots[s] = [];
        }
        foreach (var word in SpecQuery.KeywordWords)
        {
            var hash = IndexHash.Term(word);
            slots[hash & 63].Add(hash);
        }
        return [.. slots.Select(s => s.ToArray())];
    }

    /// <summary>Whether a word of this hash may be a keyword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MaybeKeyword(ulong hash)
    {
        foreach (var keyword in KeywordHashes[hash & 63])
        {
            if (keyword == hash)
            {
                return true;
            }
        }
        return false;
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
