namespace SpecSynth.Context.Relevance;

/// <summary>
/// Scores files by what the spec says about their paths: a path it names (exactly, or as a suffix or a bare file
/// name, shared among the files that match), a folder it names, and an identifier-like name of the spec that equals a
/// file's stem (<c>node_file</c>).
/// </summary>
internal static class PathMatcher
{
    /// <summary>A path the spec names exactly.</summary>
    public const double Exact = 100;

    /// <summary>A path suffix or file name the spec names, before sharing among the files it matches.</summary>
    public const double Suffix = 80;

    /// <summary>A file under a folder the spec names.</summary>
    public const double InFolder = 5;

    /// <summary>A file whose stem the spec names as an identifier, before sharing.</summary>
    public const double Stem = 15;

    /// <summary>Adds the path scores of <paramref name="candidates"/> to <paramref name="scores"/> and their reasons to
    /// <paramref name="reasons"/>. No per-file strings: the spec's few paths and names are matched against each path in place.</summary>
    public static void Score(SpecQuery query, IReadOnlyList<Candidate> candidates, double[] scores, List<string>?[] reasons)
    {
        var n = candidates.Count;
        var named = new bool[n];
        var matches = new List<int>();
        foreach (var reference in query.NamedPaths)
        {
            var trimmed = reference.TrimEnd('/');
            matches.Clear();
            if (!reference.EndsWith('/'))
            {
                // A path equal to the reference or ending with "/" + it (the same file name, as the old by-name lookup required).
                var suffix = "/" + trimmed;
                for (var i = 0; i < n; i++)
                {
                    var path = candidates[i].Path;
                    if (path == trimmed || path.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        matches.Add(i);
                    }
                }
            }
            if (matches.Count > 0)
            {
                var share = Suffix / Math.Sqrt(matches.Count);
                foreach (var i in matches)
                {
                    var exact = candidates[i].Path == trimmed;
                    if (!named[i])
                    {
                        named[i] = true;
                        scores[i] += exact ? Exact : share;
                        Reason(reasons, i, exact ? "named in the spec" : $"named in the spec as {reference}");
                    }
                }
                continue;
            }
            var folder = trimmed + "/";
            var inside = "/" + folder;
            for (var i = 0; i < n; i++)
            {
                var path = candidates[i].Path;
                if ((path.StartsWith(folder, StringComparison.Ordinal) || path.Contains(inside, StringComparison.Ordinal)) && !named[i])
                {
                    named[i] = true;
                    scores[i] += InFolder;
                    Reason(reasons, i, $"in {folder}, named in the spec");
                }
            }
        }
        if (query.Names.Count == 0)
        {
            return;
        }
        // Stems (lower case, 4 characters or more) equal to a name of the spec, counted per name, then shared.
        var names = new NameSet(query.Names);
        var stemOf = new int[n];
        var perName = new int[names.Count];
        Span<char> lower = stackalloc char[256];
        for (var i = 0; i < n; i++)
        {
            stemOf[i] = -1;
            var path = candidates[i].Path.AsSpan();
            var name = path[(path.LastIndexOf('/') + 1)..];
            var dot = name.Length > 1 ? name[1..].IndexOf('.') : -1;
            var stem = dot >= 0 ? name[..(dot + 1)] : name;
            if (stem.Length < 4 || !names.MayHold(stem.Length))
            {
                continue;
            }
            var folded = stem.Length <= lower.Length ? lower[..stem.ToLowerInvariant(lower)] : stem.ToString().ToLowerInvariant().AsSpan();
            if (names.IndexOf(folded) is var id and >= 0)
            {
                stemOf[i] = id;
                perName[id]++;
            }
        }
        for (var i = 0; i < n; i++)
        {
            if (stemOf[i] is var id and >= 0 && !named[i])
            {
                scores[i] += Stem / Math.Sqrt(perName[id]);
                var name = candidates[i].Path[(candidates[i].Path.LastIndexOf('/') + 1)..];
                Reason(reasons, i, $"named in the spec as {name[..names[id].Length]}");
            }
        }
    }

    /// <summary>Adds <paramref name="reason"/> to the reasons of file <paramref name="i"/>.</summary>
    public static void Reason(List<string>?[] reasons, int i, string reason) => (reasons[i] ??= []).Add(reason);

    /// <summary>The spec's names, found by a span of characters (ordinal) without making a string.</summary>
    private sealed class NameSet
    {
        private readonly string[] _names;
        private readonly int[] _slots;
        private readonly ulong _lengths;

        public NameSet(IReadOnlySet<string> names)
        {
            _names = [.. names];
            var size = 16;
            while (size < _names.Length * 2)
            {
                size <<= 1;
            }
            _slots = new int[size];
            Array.Fill(_slots, -1);
            for (var id = 0; id < _names.Length; id++)
            {
                var slot = Slot(_names[id]);
                while (_slots[slot] >= 0)
                {
                    slot = (slot + 1) & (_slots.Length - 1);
                }
                _slots[slot] = id;
                _lengths |= 1UL << Math.Min(_names[id].Length, 63);
            }
        }

        public int Count => _names.Length;

        public string this[int id] => _names[id];

        /// <summary>Whether some name has this length (names of 63 characters or more share one bit).</summary>
        public bool MayHold(int length) => (_lengths & (1UL << Math.Min(length, 63))) != 0;

        public int IndexOf(ReadOnlySpan<char> text)
        {
            var slot = Slot(text);
            while (_slots[slot] is var id and >= 0)
            {
                if (MemoryExtensions.Equals(text, _names[id], StringComparison.Ordinal))
                {
                    return id;
                }
                slot = (slot + 1) & (_slots.Length - 1);
            }
            return -1;
        }

        private int Slot(ReadOnlySpan<char> text) => string.GetHashCode(text) & (_slots.Length - 1);
    }
}
