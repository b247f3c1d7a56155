using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// An open-addressing table from lower-case ASCII words (hashed with <see cref="AsciiText.Hash(ReadOnlySpan{byte})"/>)
/// to the spec's query terms and the keywords the scanner reacts to. Looked up with a hash and the raw token bytes,
/// so scanning allocates nothing. The same entries are also kept by <see cref="AsciiText.WordKey(ReadOnlySpan{byte}, int, int)"/>
/// (<see cref="FindKey"/>, what the ranker's scan probes). Immutable after construction; thread-safe for reads.
/// </summary>
internal sealed class TermTable
{
    private readonly Entry?[] _slots;
    private readonly ulong[] _hashes;
    private readonly int _mask;
    private readonly Entry?[] _keySlots;
    private readonly ulong[] _keys;
    private readonly ulong[] _pairs = new ulong[65536 / 64];

    /// <summary>Builds the table.</summary>
    /// <param name="terms">The query terms (lower case, no joiners), index = term id.</param>
    /// <param name="identifiers">For each term id, the ids of the spec identifiers that fold to it, or <c>null</c>.</param>
    /// <param name="keywords">The keywords (lower case) and their kinds.</param>
    public TermTable(IReadOnlyList<string> terms, IReadOnlyList<int[]?> identifiers, (string Word, KeywordKind Kind)[] keywords)
    {
        var size = 16;
        while (size < (terms.Count + keywords.Length) * 4)
        {
            size <<= 1;
        }
        _slots = new Entry?[size];
        _hashes = new ulong[size];
        _mask = size - 1;
        for (var i = 0; i < terms.Count; i++)
        {
            var entry = GetOrAdd(terms[i]);
            entry.Term = i;
            entry.Identifiers = identifiers[i];
        }
        // An array, by index: enumerating value tuples through a list interface runs code the JIT compiles on every run.
        for (var k = 0; k < keywords.Length; k++)
        {
            GetOrAdd(keywords[k].Word).Keyword = keywords[k].Kind;
        }
        _keySlots = new Entry?[size];
        _keys = new ulong[size];
        foreach (var entry in _slots)
        {
            if (entry is null)
            {
                continue;
            }
            var slot = Slot(entry.WordKey);
            while (_keySlots[slot] is not null)
            {
                slot = (slot + 1) & _mask;
            }
            _keySlots[slot] = entry;
            _keys[slot] = entry.WordKey;
            if (entry.Key.Length >= 2)
            {
                SetPair(entry.Key[0] | (entry.Key[1] << 8) | 0x2020);
            }
        }
        // A one-letter word followed by a joiner (a_b, x$y): the pair says nothing about the compound's letters.
        for (var first = 0; first < 256; first++)
        {
            SetPair(first | (('_' | 0x20) << 8));
            SetPair(first | (('$' | 0x20) << 8));
        }
    }

    /// <summary>The first two bytes of every entry (bit 5 set in each) as little-endian pairs, one bit each, plus every
    /// pair whose second byte is a joiner (with bit 5 set): what <see cref="IdentifierTokenizer.ScanKeyed{TSink}"/>
    /// filters words and tokens with. A word or compound whose first two letters are not here is in no entry.</summary>
    public ReadOnlySpan<ulong> Pairs => _pairs;

    private void SetPair(int pair) => _pairs[pair >> 6] |= 1UL << pair;

    /// <summary>As <see cref="Find"/>, by the entry's <see cref="AsciiText.WordKey(ReadOnlySpan{byte}, int, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Entry? FindKey(ulong key, int length, ReadOnlySpan<byte> raw, bool skipJoiners)
    {
        var slot = Slot(key);
        while (_keySlots[slot] is { } entry)
        {
            if (_keys[slot] == key && entry.Key.Length == length && AsciiText.EqualsLower(raw, entry.Key, skipJoiners))
            {
                return entry;
            }
            slot = (slot + 1) & _mask;
        }
        return null;
    }

    /// <summary>The entry for the token bytes <paramref name="raw"/> whose lower-cased letters (joiners skipped when
    /// <paramref name="skipJoiners"/>) hash to <paramref name="hash"/> and number <paramref name="length"/>; or <c>null</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Entry? Find(ulong hash, int length, ReadOnlySpan<byte> raw, bool skipJoiners)
    {
        // Most tokens are not in the table: the hash array (no pointer to follow) settles them.
        var slot = Slot(hash);
        while (_slots[slot] is { } entry)
        {
            if (_hashes[slot] == hash && entry.Key.Length == length && AsciiText.EqualsLower(raw, entry.Key, skipJoiners))
            {
                return entry;
            }
            slot = (slot + 1) & _mask;
        }
        return null;
    }

    // FNV-1a's low bits depend only on the low bits of the letters: fold the high half in.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong hash) => (int)((hash ^ (hash >> 32)) & (uint)_mask);

    private Entry GetOrAdd(string word)
    {
        var key = System.Text.Encoding.ASCII.GetBytes(word);
        var hash = AsciiText.Hash(key);
        var slot = Slot(hash);
        while (_slots[slot] is { } existing)
        {
            if (existing.Hash == hash && existing.Key.AsSpan().SequenceEqual(key))
            {
                return existing;
            }
            slot = (slot + 1) & _mask;
        }
        var entry = new Entry(key, hash);
        _slots[slot] = entry;
        _hashes[slot] = hash;
        return entry;
    }

    /// <summary>One word of the table.</summary>
    internal sealed class Entry(byte[] key, ulong hash)
    {
        /// <summary>The lower-case word.</summary>
        public byte[] Key { get; } = key;

        /// <summary>Its hash.</summary>
        public ulong Hash { get; } = hash;

        /// <summary>Its <see cref="AsciiText.WordKey(ReadOnlySpan{byte})"/>.</summary>
        public ulong WordKey { get; } = AsciiText.WordKey(key);

        /// <summary>The query term id, or -1 when the word is only a keyword.</summary>
        public int Term { get; set; } = -1;

        /// <summary>The ids of the spec identifiers that fold to this word, or <c>null</c>.</summary>
        public int[]? Identifiers { get; set; }

        /// <summary>The keyword kind, if the word is one.</summary>
        public KeywordKind Keyword { get; set; }
    }
}
