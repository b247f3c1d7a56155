using SpecSynth.Context.Relevance;

namespace SpecSynth.Context.Index;

/// <summary>
/// A spec's query against index records: turns a <see cref="RecordView"/> into the <see cref="FileSignals"/>
/// <see cref="ContentScanner"/> would have found in the same file, or asks for the file to be scanned again when a
/// record cannot tell (a route literal that may match an endpoint; more occurrences of the spec's identifiers than the
/// scanner checks for declarations). Immutable; thread-safe.
/// </summary>
internal sealed class IndexQuery
{
    private readonly ulong[] _keys;
    private readonly int[] _ids;
    private readonly int _mask;
    private readonly ulong[] _identifiers;
    private readonly int[] _identifierTerms;
    private readonly ulong[] _routes;

    /// <summary>Prepares <paramref name="query"/>.</summary>
    public IndexQuery(SpecQuery query)
    {
        var size = 16;
        while (size < query.Terms.Count * 4)
        {
            size <<= 1;
        }
        _keys = new ulong[size];
        _ids = new int[size];
        Array.Fill(_ids, -1);
        _mask = size - 1;
        for (var t = 0; t < query.Terms.Count; t++)
        {
            var hash = IndexHash.Term(query.Terms[t]);
            var slot = (int)(hash & (ulong)_mask);
            while (_ids[slot] >= 0 && _keys[slot] != hash)
            {
                slot = (slot + 1) & _mask;
            }
            _keys[slot] = hash;
            _ids[slot] = t;
        }
        _identifiers = query.IdentifierBytes.Select(b => IndexHash.Token(b)).ToArray();
        _identifierTerms = query.Identifiers.Select(i => IndexOf(query.Terms, SpecQuery.Fold(i))).Where(t => t >= 0).Distinct().ToArray();
        _routes = query.Endpoints.Where(e => e.StaticPrefix.Length >= 2).Select(e => IndexHash.Route(e.Segments)).ToArray();
    }

    /// <summary>What the scanner would find in the file <paramref name="record"/> describes (a loaded file);
    /// <paramref name="rescan"/> when only scanning the file again can tell.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public FileSignals? Signals(RecordView record, out bool rescan)
    {
        rescan = false;
        List<(int Term, int Count)>? terms = null;
        var hashes = record.TermHashes;
        var counts = record.TermCounts;
        var keys = _keys;
        var ids = _ids;
        var mask = (ulong)_mask;
        for (var k = 0; k < hashes.Length; k++)
        {
            var hash = hashes[k];
            var slot = (int)(hash & mask);
            int id;
            while ((id = ids[slot]) >= 0 && keys[slot] != hash)
            {
                slot = (slot + 1) & (int)mask;
            }
            if (id >= 0)
            {
                (terms ??= []).Add((id, counts[k]));
            }
        }
        var declared = record.Declared;
        List<int>? declares = null;
        for (var id = 0; id < _identifiers.Length; id++)
        {
            if (declared.BinarySearch(_identifiers[id]) >= 0)
            {
                (declares ??= []).Add(id);
            }
        }
        if (declares is not null && terms is not null)
        {
            // The scanner checks at most MaxDeclarationChecks occurrences per file: past that, which declarations it
            // saw depends on where they are.
            var occurrences = 0;
            foreach (var (term, count) in terms)
            {
                occurrences += Array.IndexOf(_identifierTerms, term) >= 0 ? count : 0;
            }
            if (occurrences > ContentScanner.MaxDeclarationChecks)
            {
                rescan = true;
                return null;
            }
        }
        foreach (var route in _routes)
        {
            if (record.Routes.BinarySearch(route) >= 0)
            {
                rescan = true;
                return null;
            }
        }
        var types = record.Types;
        if (terms is null && declares is null && record.ImportCount == 0 && types.IsEmpty)
        {
            return null;
        }
        return new FileSignals
        {
            Terms = terms is null ? [] : [.. terms],
            Declares = declares is null ? [] : [.. declares],
            Imports = record.Imports(),
            Types = types.ToArray(),
        };
    }

    private static int IndexOf(IReadOnlyList<string> terms, string term)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i] == term)
            {
                return i;
            }
        }
        return -1;
    }
}
