namespace SpecSynth.Caching;

/// <summary>
/// A set of 64-bit hashes (<see cref="EntryHash"/>es, uniformly spread already) for <see cref="KnownKeys"/>: one array of
/// slots, open addressing with linear probing, at most half full (issue 19: a lookup reads one slot, mostly, where a
/// <see cref="HashSet{T}"/> of <see cref="long"/> read a bucket, then an entry elsewhere: two cache misses per request on a
/// large cache). Zero marks an empty slot; the hash 0 itself is kept aside. Nothing is ever removed but by
/// <see cref="Clear"/>. Not thread-safe (its owner locks).
/// </summary>
internal sealed class HashSlots
{
    private const int MinimumSlots = 16;

    private long[] _slots = new long[MinimumSlots];
    private bool _hasZero;
    private int _count;

    /// <summary>How many hashes the set holds.</summary>
    public int Count => _count + (_hasZero ? 1 : 0);

    /// <summary>Whether <paramref name="hash"/> is in the set.</summary>
    public bool Contains(long hash)
    {
        if (hash == 0)
        {
            return _hasZero;
        }
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = Start(hash, mask); ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == hash)
            {
                return true;
            }
            if (slot == 0)
            {
                return false;
            }
        }
    }

    /// <summary>Adds <paramref name="hash"/>; <c>true</c> when it was not in the set.</summary>
    public bool Add(long hash)
    {
        if (hash == 0)
        {
            var added = !_hasZero;
            _hasZero = true;
            return added;
        }
        if ((_count + 1) * 2 > _slots.Length)
        {
            Grow();
        }
        if (!Insert(_slots, hash))
        {
            return false;
        }
        _count++;
        return true;
    }

    /// <summary>Empties the set and frees its slots.</summary>
    public void Clear()
    {
        _slots = new long[MinimumSlots];
        _hasZero = false;
        _count = 0;
    }

    /// <summary>The first slot to look at: the hash's high bits (the low bits of a <see cref="EntryHash"/> of a hex key are
    /// as spread as its high bits, but a multiply mixes any others in).</summary>
    private static int Start(long hash, int mask) => (int)(((ulong)hash * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    private static bool Insert(long[] slots, long hash)
    {
        var mask = slots.Length - 1;
        for (var i = Start(hash, mask); ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == hash)
            {
                return false;
            }
            if (slot == 0)
            {
                slots[i] = hash;
                return true;
            }
        }
    }

    private void Grow()
    {
        var larger = new long[_slots.Length * 2];
        foreach (var hash in _slots)
        {
            if (hash != 0)
            {
                Insert(larger, hash);
            }
        }
        _slots = larger;
    }
}
