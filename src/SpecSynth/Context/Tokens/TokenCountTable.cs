namespace SpecSynth.Context.Tokens;

/// <summary>
/// The token counts a <see cref="TokenCountCache"/> holds in memory: at most <see cref="Capacity"/> slots in one array
/// (doubled as it fills, up to the capacity, then fixed) found through an open-addressing index over their keys (linear
/// probing, removal by shifting back: no tombstones). When it is full, <see cref="Victim"/> picks the slot to reuse with a
/// clock (second chance): a slot looked up since the hand last passed keeps its place for another turn, so a project's
/// files, counted again for every spec, stay while a run's one-off counts make room. Not thread-safe (the cache locks).
/// </summary>
internal sealed class TokenCountTable
{
    private TokenCountSlot[] _slots;
    // Slot index + 1 (0: empty), a power of two at least twice the slots.
    private int[] _index;
    private int _hand;

    /// <summary>A table of at most <paramref name="capacity"/> slots, <paramref name="initial"/> of them made at once.</summary>
    public TokenCountTable(int capacity, int initial = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        var size = Math.Clamp(initial, 1, capacity);
        _slots = new TokenCountSlot[size];
        _index = new int[IndexSize(size)];
    }

    /// <summary>The most slots it holds.</summary>
    public int Capacity { get; }

    /// <summary>The slots in use: 0 to <c>Count - 1</c>.</summary>
    public int Count { get; private set; }

    /// <summary>Whether an addition needs a <see cref="Victim"/> first.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>The slot at <paramref name="slot"/> (0 to <see cref="Count"/> - 1).</summary>
    public ref TokenCountSlot this[int slot] => ref _slots[slot];

    /// <summary>The slot of the key, or -1.</summary>
    public int Find(ulong counter, byte kind, ulong lower, ulong upper)
    {
        var mask = _index.Length - 1;
        for (var at = Home(counter, kind, lower) & mask; ; at = (at + 1) & mask)
        {
            var slot = _index[at] - 1;
            if (slot < 0)
            {
                return -1;
            }
            if (_slots[slot].Is(counter, kind, lower, upper))
            {
                return slot;
            }
        }
    }

    /// <summary>Adds <paramref name="entry"/>, whose key is not in the table, to a free slot (the table is not full).</summary>
    public int Add(in TokenCountSlot entry)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The table is full: reuse a victim's slot.");
        }
        if (Count == _slots.Length)
        {
            Grow();
        }
        var slot = Count++;
        _slots[slot] = entry;
        Insert(slot);
        return slot;
    }

    /// <summary>Puts <paramref name="entry"/>, whose key is not in the table, in place of the entry at <paramref name="slot"/>.</summary>
    public void Replace(int slot, in TokenCountSlot entry)
    {
        Remove(slot);
        _slots[slot] = entry;
        Insert(slot);
    }

    /// <summary>The slot to reuse next (the clock's hand: a slot looked up since it last passed loses its mark and is
    /// passed once more); the table is not empty.</summary>
    public int Victim()
    {
        while (true)
        {
            if (_hand >= Count)
            {
                _hand = 0;
            }
            ref var slot = ref _slots[_hand];
            if ((slot.Flags & TokenCountSlot.Referenced) == 0)
            {
                return _hand++;
            }
            slot.Flags &= unchecked((byte)~TokenCountSlot.Referenced);
            _hand++;
        }
    }

    private static int IndexSize(int slots) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, slots * 2));

    private static int Home(ulong counter, byte kind, ulong lower) => (int)(lower ^ (lower >> 32) ^ counter ^ kind) & int.MaxValue;

    private void Grow()
    {
        var size = (int)Math.Min(Capacity, _slots.Length * 2L);
        Array.Resize(ref _slots, size);
        _index = new int[IndexSize(size)];
        for (var slot = 0; slot < Count; slot++)
        {
            Insert(slot);
        }
    }

    private void Insert(int slot)
    {
        var mask = _index.Length - 1;
        ref var entry = ref _slots[slot];
        var at = Home(entry.Counter, entry.Kind, entry.Lower) & mask;
        while (_index[at] != 0)
        {
            at = (at + 1) & mask;
        }
        _index[at] = slot + 1;
    }

    /// <summary>Takes the slot's key out of the index, shifting back the entries probed past it.</summary>
    private void Remove(int slot)
    {
        var mask = _index.Length - 1;
        ref var entry = ref _slots[slot];
        var hole = Home(entry.Counter, entry.Kind, entry.Lower) & mask;
        while (_index[hole] != slot + 1)
        {
            hole = (hole + 1) & mask;
        }
        var next = hole;
        while (true)
        {
            next = (next + 1) & mask;
            var moved = _index[next] - 1;
            if (moved < 0)
            {
                break;
            }
            ref var other = ref _slots[moved];
            var home = Home(other.Counter, other.Kind, other.Lower) & mask;
            // The entry at next may fill the hole when its home is not cyclically within (hole, next].
            var within = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!within)
            {
                _index[hole] = _index[next];
                hole = next;
            }
        }
        _index[hole] = 0;
    }
}
