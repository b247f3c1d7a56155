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
    private readonly (ulong Key, int Term)[] _termKeys;

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
        _termKeys = Enumerable.Range(0, size).Where(s => _ids[s] >= 0).Select(s => (_keys[s], _ids[s])).ToArray();
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

    /// <summary>Answers every candidate with an entry (<paramref name="reuse"/>) from the index's tables, touching only
    /// the spec's keys: the files' words and flags, the rows of the spec's terms, identifiers and routes, and the types
    /// and module references of the files; <paramref name="again"/> marks the files only a scan can tell (as
    /// <see cref="Signals"/>). <c>false</c> when the index turns out damaged (what was filled must then be forgotten).</summary>
    public bool Answer(IndexSnapshot snapshot, int[] reuse, FileSignals?[] signals, int[] lengths, bool[] unreadable, bool[] loaded,
        bool[] again, CancellationToken ct)
    {
        var n = reuse.Length;
        var candidateOf = new int[snapshot.Count];
        Array.Fill(candidateOf, -1);
        for (var i = 0; i < n; i++)
        {
            if (reuse[i] < 0)
            {
                continue;
            }
            candidateOf[reuse[i]] = i;
            var (file, e) = snapshot.At(reuse[i]);
            var entry = file.Entries[e];
            unreadable[i] = entry.Unreadable;
            loaded[i] = entry.Loaded;
            lengths[i] = entry.Loaded ? entry.Words : 0;
        }
        try
        {
            // The rows of the spec's terms, by candidate (counted, then placed), each candidate's in first-occurrence order.
            var hitCandidate = new List<int>();
            var hitTerm = new List<(int Term, int Count)>();
            var hitRank = new List<int>();
            var declared = new List<(int Candidate, int Identifier)>();
            foreach (var (key, term) in _termKeys)
            {
                ct.ThrowIfCancellationRequested();
                Rows(snapshot, IndexFile.TermTable, key, candidateOf, loaded, (c, count, rank) =>
                {
                    hitCandidate.Add(c);
                    hitTerm.Add((term, count));
                    hitRank.Add(rank);
                });
            }
            for (var id = 0; id < _identifiers.Length; id++)
            {
                var identifier = id;
                Rows(snapshot, IndexFile.DeclaredTable, _identifiers[id], candidateOf, loaded, (c, _, _) => declared.Add((c, identifier)));
            }
            foreach (var route in _routes)
            {
                Rows(snapshot, IndexFile.RouteTable, route, candidateOf, loaded, (c, _, _) => again[c] = true);
            }
            var start = new int[n + 1];
            foreach (var c in hitCandidate)
            {
                start[c + 1]++;
            }
            for (var i = 0; i < n; i++)
            {
                start[i + 1] += start[i];
            }
            var cursor = (int[])start.Clone();
            var ranks = new int[hitCandidate.Count];
            var terms = new (int Term, int Count)[hitCandidate.Count];
            for (var h = 0; h < hitCandidate.Count; h++)
            {
                var at = cursor[hitCandidate[h]]++;
                ranks[at] = hitRank[h];
                terms[at] = hitTerm[h];
            }
            declared.Sort();
            var d = 0;
            for (var i = 0; i < n; i++)
            {
                var from = start[i];
                var count = start[i + 1] - from;
                var firstDeclared = d;
                while (d < declared.Count && declared[d].Candidate == i)
                {
                    d++;
                }
                if (reuse[i] < 0 || !loaded[i] || again[i])
                {
                    continue;
                }
                if (count > 1)
                {
                    ranks.AsSpan(from, count).Sort(terms.AsSpan(from, count));
                }
                if (d > firstDeclared && count > 0)
                {
                    // The scanner checks at most MaxDeclarationChecks occurrences per file: past that, which
                    // declarations it saw depends on where they are.
                    var occurrences = 0;
                    for (var k = from; k < from + count; k++)
                    {
                        occurrences += Array.IndexOf(_identifierTerms, terms[k].Term) >= 0 ? terms[k].Count : 0;
                    }
                    if (occurrences > ContentScanner.MaxDeclarationChecks)
                    {
                        again[i] = true;
                        continue;
                    }
                }
                var (file, e) = snapshot.At(reuse[i]);
                var entry = file.Entries[e];
                if (count == 0 && d == firstDeclared && entry.ImportCount == 0 && entry.TypeCount == 0)
                {
                    continue;
                }
                var declares = new int[d - firstDeclared];
                for (var k = 0; k < declares.Length; k++)
                {
                    declares[k] = declared[firstDeclared + k].Identifier;
                }
                signals[i] = new FileSignals
                {
                    Terms = terms.AsSpan(from, count).ToArray(),
                    Declares = declares,
                    Imports = file.Imports(e),
                    Types = file.Types(e),
                };
            }
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Hands the rows of <paramref name="key"/> of both segments that belong to a loaded candidate to <paramref name="visit"/>.</summary>
    private static void Rows(IndexSnapshot snapshot, int table, ulong key, int[] candidateOf, bool[] loaded, Action<int, int, int> visit)
    {
        var offset = 0;
        foreach (var segment in new[] { snapshot.Base, snapshot.Delta })
        {
            if (segment is null)
            {
                continue;
            }
            var postings = segment.Lookup(table, key);
            for (var r = 0; r < postings.Count; r++)
            {
                var (entry, count, rank) = postings.Row(r);
                if (candidateOf[offset + entry] is var c and >= 0 && loaded[c])
                {
                    visit(c, count, rank);
                }
            }
            offset += segment.Entries.Count;
        }
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
