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
    private readonly bool[] _isIdentifierTerm;
    private readonly int[] _termOfIdentifier;
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
        var used = 0;
        for (var slot = 0; slot < size; slot++)
        {
            used += _ids[slot] >= 0 ? 1 : 0;
        }
        _termKeys = new (ulong Key, int Term)[used];
        used = 0;
        for (var slot = 0; slot < size; slot++)
        {
            if (_ids[slot] >= 0)
            {
                _termKeys[used++] = (_keys[slot], _ids[slot]);
            }
        }
        _identifiers = new ulong[query.IdentifierBytes.Count];
        for (var id = 0; id < _identifiers.Length; id++)
        {
            _identifiers[id] = IndexHash.Token(query.IdentifierBytes[id]);
        }
        _isIdentifierTerm = new bool[query.Terms.Count];
        _termOfIdentifier = new int[query.Identifiers.Count];
        for (var id = 0; id < _termOfIdentifier.Length; id++)
        {
            var term = _termOfIdentifier[id] = IndexOf(query.Terms, SpecQuery.Fold(query.Identifiers[id]));
            if (term >= 0)
            {
                _isIdentifierTerm[term] = true;
            }
        }
        var routes = new List<ulong>();
        foreach (var endpoint in query.Endpoints)
        {
            if (endpoint.StaticPrefix.Length >= 2)
            {
                routes.Add(IndexHash.Route(endpoint.Segments));
            }
        }
        _routes = [.. routes];
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
        var declaredCounts = record.DeclaredCounts;
        List<int>? declares = null;
        // The declared identifiers' counts at first declaration (allocated only for a file that declares one).
        int[]? runs = null;
        for (var id = 0; id < _identifiers.Length; id++)
        {
            if (declared.BinarySearch(_identifiers[id]) is var at and >= 0)
            {
                (runs ??= new int[_identifiers.Length])[declares?.Count ?? 0] = declaredCounts[at];
                (declares ??= []).Add(id);
            }
        }
        if (declares is not null && runs is not null && terms is not null && Occurrences(terms) > ContentScanner.MaxDeclarationChecks)
        {
            var termIds = new int[terms.Count];
            var termCounts = new int[terms.Count];
            for (var k = 0; k < terms.Count; k++)
            {
                (termIds[k], termCounts[k]) = terms[k];
            }
            if (MayExceedChecks(termIds, termCounts, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(declares), runs.AsSpan(0, declares.Count)))
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
    /// and module references of the files (kept as the index stores them, decoded only when used); <paramref name="again"/>
    /// marks the files only a scan can tell (as <see cref="Signals"/>). <c>false</c> when the index turns out damaged
    /// (what was filled must then be forgotten). Plain arrays throughout: no per-row objects, no generic collections of
    /// value types (ReadyToRun code, no JIT on the warm path).</summary>
    public bool Answer(IndexSnapshot snapshot, int[] reuse, FileSignals?[] signals, int[] lengths, bool[] unreadable, bool[] loaded,
        bool[] again, CancellationToken ct)
    {
        var n = reuse.Length;
        var baseEntries = snapshot.Base.EntryArray;
        var candidateOf = new int[snapshot.Count];
        Array.Fill(candidateOf, -1);
        for (var i = 0; i < n; i++)
        {
            var id = reuse[i];
            if (id < 0)
            {
                continue;
            }
            candidateOf[id] = i;
            ref readonly var entry = ref id < baseEntries.Length ? ref baseEntries[id] : ref snapshot.Delta!.EntryArray[id - baseEntries.Length];
            unreadable[i] = entry.Unreadable;
            loaded[i] = entry.Loaded;
            lengths[i] = entry.Loaded ? entry.Words : 0;
        }
        try
        {
            IndexFile[] segments = snapshot.Delta is { } delta ? [snapshot.Base, delta] : [snapshot.Base];
            // The rows of the spec's terms, by candidate (counted, then placed), each candidate's in first-occurrence order.
            var termRows = new IndexFile.Postings[_termKeys.Length * segments.Length];
            var start = new int[n + 1];
            for (var k = 0; k < _termKeys.Length; k++)
            {
                ct.ThrowIfCancellationRequested();
                var offset = 0;
                for (var s = 0; s < segments.Length; s++)
                {
                    var postings = termRows[(k * segments.Length) + s] = segments[s].Lookup(IndexFile.TermTable, _termKeys[k].Key);
                    for (var r = 0; r < postings.Count; r++)
                    {
                        if (candidateOf[offset + postings.EntryAt(r)] is var c and >= 0 && loaded[c])
                        {
                            start[c + 1]++;
                        }
                    }
                    offset += segments[s].EntryArray.Length;
                }
            }
            for (var i = 0; i < n; i++)
            {
                start[i + 1] += start[i];
            }
            var total = start[n];
            var ranks = new int[total];
            var termIds = new int[total];
            var counts = new int[total];
            var cursor = (int[])start.Clone();
            for (var k = 0; k < _termKeys.Length; k++)
            {
                var term = _termKeys[k].Term;
                var offset = 0;
                for (var s = 0; s < segments.Length; s++)
                {
                    var postings = termRows[(k * segments.Length) + s];
                    for (var r = 0; r < postings.Count; r++)
                    {
                        if (candidateOf[offset + postings.EntryAt(r)] is var c and >= 0 && loaded[c])
                        {
                            var at = cursor[c]++;
                            ranks[at] = postings.RankAt(r);
                            termIds[at] = term;
                            counts[at] = postings.CountAt(r);
                        }
                    }
                    offset += segments[s].EntryArray.Length;
                }
            }
            termRows = null;

            // The declared rows, by candidate, each candidate's in identifier order.
            var declaredRows = new IndexFile.Postings[_identifiers.Length * segments.Length];
            var declaredStart = new int[n + 1];
            for (var id = 0; id < _identifiers.Length; id++)
            {
                var offset = 0;
                for (var s = 0; s < segments.Length; s++)
                {
                    var postings = declaredRows[(id * segments.Length) + s] = segments[s].Lookup(IndexFile.DeclaredTable, _identifiers[id]);
                    for (var r = 0; r < postings.Count; r++)
                    {
                        if (candidateOf[offset + postings.EntryAt(r)] is var c and >= 0 && loaded[c])
                        {
                            declaredStart[c + 1]++;
                        }
                    }
                    offset += segments[s].EntryArray.Length;
                }
            }
            for (var i = 0; i < n; i++)
            {
                declaredStart[i + 1] += declaredStart[i];
            }
            var declaredIds = new int[declaredStart[n]];
            var declaredRuns = new int[declaredStart[n]];
            var declaredCursor = (int[])declaredStart.Clone();
            for (var id = 0; id < _identifiers.Length; id++)
            {
                var offset = 0;
                for (var s = 0; s < segments.Length; s++)
                {
                    var postings = declaredRows[(id * segments.Length) + s];
                    for (var r = 0; r < postings.Count; r++)
                    {
                        if (candidateOf[offset + postings.EntryAt(r)] is var c and >= 0 && loaded[c])
                        {
                            declaredRuns[declaredCursor[c]] = postings.CountAt(r);
                            declaredIds[declaredCursor[c]++] = id;
                        }
                    }
                    offset += segments[s].EntryArray.Length;
                }
            }
            foreach (var route in _routes)
            {
                var offset = 0;
                for (var s = 0; s < segments.Length; s++)
                {
                    var postings = segments[s].Lookup(IndexFile.RouteTable, route);
                    for (var r = 0; r < postings.Count; r++)
                    {
                        if (candidateOf[offset + postings.EntryAt(r)] is var c and >= 0 && loaded[c])
                        {
                            again[c] = true;
                        }
                    }
                    offset += segments[s].EntryArray.Length;
                }
            }

            for (var i = 0; i < n; i++)
            {
                if (reuse[i] < 0 || !loaded[i] || again[i])
                {
                    continue;
                }
                var from = start[i];
                var count = start[i + 1] - from;
                var firstDeclared = declaredStart[i];
                var declaredCount = declaredStart[i + 1] - firstDeclared;
                if (count > 1)
                {
                    SortByRank(ranks, termIds, counts, from, count);
                }
                if (declaredCount > 0 && count > 0 && MayExceedChecks(termIds.AsSpan(from, count), counts.AsSpan(from, count),
                    declaredIds.AsSpan(firstDeclared, declaredCount), declaredRuns.AsSpan(firstDeclared, declaredCount)))
                {
                    again[i] = true;
                    continue;
                }
                var (file, e) = snapshot.At(reuse[i]);
                ref readonly var entry = ref file.EntryArray[e];
                if (count == 0 && declaredCount == 0 && entry.ImportCount == 0 && entry.TypeCount == 0)
                {
                    continue;
                }
                var terms = count == 0 ? [] : new (int Term, int Count)[count];
                for (var k = 0; k < count; k++)
                {
                    terms[k] = (termIds[from + k], counts[from + k]);
                }
                var declares = declaredCount == 0 ? [] : new int[declaredCount];
                Array.Copy(declaredIds, firstDeclared, declares, 0, declaredCount);
                signals[i] = new FileSignals
                {
                    Terms = terms,
                    Declares = declares,
                    ImportBytes = entry.ImportCount == 0 ? default : file.ImportMemory(e),
                    ImportCount = entry.ImportCount,
                    TypeBytes = entry.TypeCount == 0 ? default : file.TypeMemory(e),
                };
            }
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The occurrences of the spec's identifier terms among <paramref name="terms"/> (a file's).</summary>
    private long Occurrences(List<(int Term, int Count)> terms)
    {
        long occurrences = 0;
        foreach (var (term, count) in terms)
        {
            occurrences += _isIdentifierTerm[term] ? count : 0;
        }
        return occurrences;
    }

    /// <summary>Whether the scanner may run out of declaration checks in a file (it checks at most
    /// <see cref="ContentScanner.MaxDeclarationChecks"/> occurrences of the spec's identifiers per file: past that, which
    /// declarations it saw depends on where they are, and only a scan can tell). An upper bound on its checks: each
    /// occurrence of an identifier is one of its term's (<paramref name="termCounts"/>), and once declared an identifier
    /// is no longer checked, so a term all of whose identifiers the file declares is checked at most as often as the
    /// counts its term had reached at their first declarations add up to (<paramref name="declaredRuns"/>).</summary>
    /// <param name="termIds">The spec's terms in the file.</param>
    /// <param name="termCounts">Their counts in the file.</param>
    /// <param name="declaredIds">The spec's identifiers the file declares.</param>
    /// <param name="declaredRuns">For each, its term's count at its first declaration (<see cref="FileRecord.DeclaredCounts"/>).</param>
    private bool MayExceedChecks(ReadOnlySpan<int> termIds, ReadOnlySpan<int> termCounts, ReadOnlySpan<int> declaredIds, ReadOnlySpan<int> declaredRuns)
    {
        long occurrences = 0;
        for (var k = 0; k < termIds.Length; k++)
        {
            occurrences += _isIdentifierTerm[termIds[k]] ? termCounts[k] : 0;
        }
        if (occurrences <= ContentScanner.MaxDeclarationChecks)
        {
            return false;
        }
        for (var k = 0; k < termIds.Length && occurrences > ContentScanner.MaxDeclarationChecks; k++)
        {
            var term = termIds[k];
            if (!_isIdentifierTerm[term])
            {
                continue;
            }
            long bound = 0;
            for (var id = 0; id < _termOfIdentifier.Length && bound >= 0; id++)
            {
                if (_termOfIdentifier[id] == term)
                {
                    var at = declaredIds.IndexOf(id);
                    bound = at < 0 ? -1 : bound + declaredRuns[at];
                }
            }
            if (bound >= 0 && bound < termCounts[k])
            {
                occurrences -= termCounts[k] - bound;
            }
        }
        return occurrences > ContentScanner.MaxDeclarationChecks;
    }

    /// <summary>Sorts <c>[from, from + count)</c> of the three parallel arrays by <paramref name="ranks"/> (distinct
    /// within a file): insertion sort for short runs, Shell sort (Ciura's gaps) otherwise.</summary>
    private static void SortByRank(int[] ranks, int[] terms, int[] counts, int from, int count)
    {
        ReadOnlySpan<int> gaps = [701, 301, 132, 57, 23, 10, 4, 1];
        foreach (var gap in gaps)
        {
            if (gap >= count)
            {
                continue;
            }
            for (var i = from + gap; i < from + count; i++)
            {
                var rank = ranks[i];
                var term = terms[i];
                var tf = counts[i];
                var j = i;
                while (j - gap >= from && ranks[j - gap] > rank)
                {
                    ranks[j] = ranks[j - gap];
                    terms[j] = terms[j - gap];
                    counts[j] = counts[j - gap];
                    j -= gap;
                }
                ranks[j] = rank;
                terms[j] = term;
                counts[j] = tf;
            }
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
