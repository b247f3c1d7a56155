namespace SpecSynth.Context.Relevance;

/// <summary>
/// One hop from the best files (the seeds): the files a seed imports and the files declaring the types a seed uses get
/// <see cref="ForwardShare"/> of the seed's score, the files that import a seed get <see cref="ReverseShare"/>; a file
/// keeps its strongest hop, capped at <see cref="MaxHop"/>. Edges per seed and kind are capped at <see cref="MaxEdges"/>
/// so a hub (a file everything imports) does not flood the ranking.
/// </summary>
internal sealed class OneHop(List<Candidate> candidates, FileSignals?[] signals, RelevanceOptions options)
{
    /// <summary>Share of a seed's score given to a file it imports or whose types it uses.</summary>
    public const double ForwardShare = 0.3;

    /// <summary>Share of a seed's score given to a file that imports it.</summary>
    public const double ReverseShare = 0.2;

    /// <summary>The most a hop adds.</summary>
    public const double MaxHop = 30;

    /// <summary>Most edges of one kind followed from one seed.</summary>
    public const int MaxEdges = 10;

    /// <summary>A type declared by more files than this is too common to point anywhere.</summary>
    public const int MaxDeclarers = 3;

    /// <summary>Seeds score at least this share of the best file.</summary>
    public const double SeedShare = 0.1;

    /// <summary>The hop score and reason of every file.</summary>
    public sealed record Result(double[] Scores, string[]?[] Reasons);

    /// <summary>Computes the hops from the direct scores <paramref name="direct"/>.</summary>
    public Result Score(double[] direct, CancellationToken ct)
    {
        var n = candidates.Count;
        var scores = new double[n];
        var reasons = new string[]?[n];
        var seeds = Seeds(direct);
        if (seeds.Count == 0)
        {
            return new Result(scores, reasons);
        }
        var paths = new string[n];
        for (var i = 0; i < n; i++)
        {
            paths[i] = candidates[i].Path;
        }
        var resolver = new ImportResolver(paths);
        var types = new TypeTable(signals);
        using var content = new FileContent();
        var targets = new List<int>();
        foreach (var seed in seeds)
        {
            ct.ThrowIfCancellationRequested();
            var path = candidates[seed].Path;
            var forward = ForwardShare * direct[seed];
            targets.Clear();
            foreach (var module in signals[seed]?.Imports ?? [])
            {
                if (targets.Count == MaxEdges)
                {
                    break;
                }
                if (resolver.Resolve(seed, module) is var target and >= 0 && !targets.Contains(target))
                {
                    targets.Add(target);
                }
            }
            foreach (var target in targets)
            {
                Offer(scores, reasons, target, forward, $"imported by {path}");
            }
            foreach (var (type, slot) in UsedTypes(seed, content, types))
            {
                for (var k = 0; k < types.DeclarerCount(slot); k++)
                {
                    Offer(scores, reasons, types.Declarer(slot, k), forward, $"defines {type}, used by {path}");
                }
            }
        }
        ReverseImports(seeds, resolver, direct, scores, reasons);
        return new Result(scores, reasons);
    }

    /// <summary>The best files (at least <see cref="SeedShare"/> of the best), best first (ties: by path), at most
    /// <see cref="RelevanceOptions.Seeds"/>.</summary>
    private List<int> Seeds(double[] direct)
    {
        var best = 0.0;
        for (var i = 0; i < direct.Length; i++)
        {
            best = i == 0 || direct[i] > best ? direct[i] : best;
        }
        var seeds = new List<int>();
        var limit = options.Seeds;
        if (limit <= 0)
        {
            return seeds;
        }
        for (var i = 0; i < direct.Length; i++)
        {
            if (!(direct[i] > 0 && direct[i] >= SeedShare * best))
            {
                continue;
            }
            var at = seeds.Count;
            while (at > 0 && Before(i, seeds[at - 1], direct))
            {
                at--;
            }
            if (at >= limit)
            {
                continue;
            }
            seeds.Insert(at, i);
            if (seeds.Count > limit)
            {
                seeds.RemoveAt(limit);
            }
        }
        return seeds;
    }

    /// <summary>Whether file <paramref name="a"/> goes before <paramref name="b"/>: the higher score, then the path.</summary>
    private bool Before(int a, int b, double[] score) =>
        score[a] > score[b] || (score[a] == score[b] && string.CompareOrdinal(candidates[a].Path, candidates[b].Path) < 0);

    /// <summary>The types declared elsewhere (by at most <see cref="MaxDeclarers"/> files) that the seed mentions most:
    /// each type's name and its slot in <paramref name="types"/>.</summary>
    private List<(string Type, int Slot)> UsedTypes(int seed, FileContent content, TypeTable types)
    {
        var used = new List<(string Type, int Slot)>();
        if (types.Count == 0)
        {
            return used;
        }
        var text = content.Load(candidates[seed], options.MaxFileBytes, out _, out var loaded);
        if (!loaded)
        {
            return used;
        }
        var touched = new List<int>();
        foreach (var (start, end) in new AsciiTokens(text))
        {
            var length = end - start;
            if (length < 3 || length > 128)
            {
                continue;
            }
            var token = text[start..end];
            var slot = types.Find(ContentScanner.TypeHash(token));
            if (slot >= 0 && types.DeclarerCount(slot) <= MaxDeclarers && !types.Declares(slot, seed))
            {
                if (types.Mentions[slot]++ == 0)
                {
                    types.MentionNames[slot] = AsciiText.ToAsciiString(token);
                    touched.Add(slot);
                }
            }
        }
        // The most mentioned first (ties: by name), at most MaxEdges.
        while (used.Count < MaxEdges && touched.Count > 0)
        {
            var pick = 0;
            for (var k = 1; k < touched.Count; k++)
            {
                var a = touched[k];
                var b = touched[pick];
                if (types.Mentions[a] > types.Mentions[b]
                    || (types.Mentions[a] == types.Mentions[b] && string.CompareOrdinal(types.MentionNames[a], types.MentionNames[b]) < 0))
                {
                    pick = k;
                }
            }
            var chosen = touched[pick];
            used.Add((types.MentionNames[chosen]!, chosen));
            touched.RemoveAt(pick);
            types.Mentions[chosen] = 0;
            types.MentionNames[chosen] = null;
        }
        foreach (var slot in touched)
        {
            types.Mentions[slot] = 0;
            types.MentionNames[slot] = null;
        }
        return used;
    }

    private void ReverseImports(List<int> seeds, ImportResolver resolver, double[] direct, double[] scores, string[]?[] reasons)
    {
        // The seeds' stems, as strings and as UTF-8 (references the index keeps as bytes are decoded only when their
        // stem's bytes match one).
        var stems = new List<string>();
        var stemBytes = new List<byte[]>();
        foreach (var seed in seeds)
        {
            var stem = ImportResolver.Stem(candidates[seed].Path);
            if (!stems.Contains(stem))
            {
                stems.Add(stem);
                stemBytes.Add(System.Text.Encoding.UTF8.GetBytes(stem));
            }
        }
        var importers = new List<int>[seeds.Count];
        for (var s = 0; s < seeds.Count; s++)
        {
            importers[s] = [];
        }
        void Consider(int j, string module)
        {
            ImportResolver.StemRange(module, out var start, out var length);
            if (!HasStem(stems, module.AsSpan(start, length)) || resolver.Resolve(j, module) is not (var target and >= 0))
            {
                return;
            }
            var s = seeds.IndexOf(target);
            if (s >= 0 && !importers[s].Contains(j))
            {
                importers[s].Add(j);
            }
        }
        for (var j = 0; j < signals.Length; j++)
        {
            if (signals[j] is not { HasImports: true } signal)
            {
                continue;
            }
            if (signal.ImportCount > 0 && !signal.ImportBytes.IsEmpty)
            {
                var bytes = signal.ImportBytes.Span;
                var at = 0;
                for (var k = 0; k < signal.ImportCount; k++)
                {
                    var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
                    var module = bytes.Slice(at + 2, length);
                    at += 2 + length;
                    ImportResolver.StemRange(module, out var stemStart, out var stemLength);
                    if (HasStem(stemBytes, module.Slice(stemStart, stemLength)))
                    {
                        Consider(j, System.Text.Encoding.UTF8.GetString(module));
                    }
                }
                continue;
            }
            foreach (var module in signal.Imports)
            {
                Consider(j, module);
            }
        }
        for (var s = 0; s < seeds.Count; s++)
        {
            var seed = seeds[s];
            var share = ReverseShare * direct[seed];
            var chosen = importers[s];
            // The importers with the highest direct score first (ties: by path), at most MaxEdges.
            for (var taken = 0; taken < MaxEdges && chosen.Count > 0; taken++)
            {
                var pick = 0;
                for (var k = 1; k < chosen.Count; k++)
                {
                    if (Before(chosen[k], chosen[pick], direct))
                    {
                        pick = k;
                    }
                }
                Offer(scores, reasons, chosen[pick], share, $"imports {candidates[seed].Path}");
                chosen.RemoveAt(pick);
            }
        }
    }

    private static bool HasStem(List<string> stems, ReadOnlySpan<char> stem)
    {
        foreach (var candidate in stems)
        {
            if (stem.Equals(candidate, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasStem(List<byte[]> stems, ReadOnlySpan<byte> stem)
    {
        foreach (var candidate in stems)
        {
            if (stem.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static void Offer(double[] scores, string[]?[] reasons, int target, double value, string reason)
    {
        value = Math.Min(value, MaxHop);
        if (value > scores[target])
        {
            scores[target] = value;
            reasons[target] = [reason];
        }
    }

    /// <summary>Type hash to the files declaring it (in file order, at most <see cref="MaxDeclarers"/> + 1 kept: one more
    /// marks the type as too common), an open-addressed table over every file's type hashes; plus per-slot scratch for
    /// counting a seed's mentions.</summary>
    private sealed class TypeTable
    {
        private const int Kept = MaxDeclarers + 1;
        private readonly ulong[] _keys;
        private readonly int[] _counts;
        private readonly int[] _declarers;
        private readonly int _mask;

        public TypeTable(FileSignals?[] signals)
        {
            var total = 0;
            foreach (var s in signals)
            {
                total += s?.TypeSpan.Length ?? 0;
            }
            var size = 16;
            while (size < total * 2)
            {
                size <<= 1;
            }
            _mask = size - 1;
            _keys = new ulong[size];
            _counts = new int[size];
            _declarers = new int[size * Kept];
            Array.Fill(_counts, -1);
            var distinct = 0;
            for (var i = 0; i < signals.Length; i++)
            {
                if (signals[i] is not { } s)
                {
                    continue;
                }
                foreach (var type in s.TypeSpan)
                {
                    var slot = (int)(Mix(type) & (ulong)_mask);
                    while (_counts[slot] >= 0 && _keys[slot] != type)
                    {
                        slot = (slot + 1) & _mask;
                    }
                    if (_counts[slot] < 0)
                    {
                        _keys[slot] = type;
                        _counts[slot] = 0;
                        distinct++;
                    }
                    var count = _counts[slot];
                    if (count <= MaxDeclarers && (count == 0 || _declarers[(slot * Kept) + count - 1] != i))
                    {
                        _declarers[(slot * Kept) + count] = i;
                        _counts[slot] = count + 1;
                    }
                }
            }
            Count = distinct;
            Mentions = new int[size];
            MentionNames = new string?[size];
        }

        /// <summary>The number of distinct types.</summary>
        public int Count { get; }

        /// <summary>Scratch: mentions per slot (zero between seeds).</summary>
        public int[] Mentions { get; }

        /// <summary>Scratch: the name first seen per slot.</summary>
        public string?[] MentionNames { get; }

        /// <summary>The slot of <paramref name="type"/>, or -1.</summary>
        public int Find(ulong type)
        {
            var slot = (int)(Mix(type) & (ulong)_mask);
            while (_counts[slot] >= 0)
            {
                if (_keys[slot] == type)
                {
                    return slot;
                }
                slot = (slot + 1) & _mask;
            }
            return -1;
        }

        public int DeclarerCount(int slot) => _counts[slot];

        public int Declarer(int slot, int k) => _declarers[(slot * Kept) + k];

        public bool Declares(int slot, int file)
        {
            for (var k = 0; k < _counts[slot]; k++)
            {
                if (_declarers[(slot * Kept) + k] == file)
                {
                    return true;
                }
            }
            return false;
        }

        private static ulong Mix(ulong key) => (key ^ (key >> 29)) * 0xBF58476D1CE4E5B9UL >> 20;
    }
}
