using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Index;

/// <summary>Counts 64-bit hashes in order of first occurrence: an open-addressing table reused file after file (only the
/// slots a file used are cleared). Not thread-safe.</summary>
internal sealed class TermCounter
{
    // A slot's key and entry side by side: a lookup touches one cache line.
    private Slot[] _slots = new Slot[1 << 12];
    private int _mask = (1 << 12) - 1;
    private ulong[] _hashes = new ulong[1 << 10];
    private int[] _counts = new int[1 << 10];

    /// <summary>The number of distinct hashes counted.</summary>
    public int Count { get; private set; }

    /// <summary>Counts <paramref name="hash"/> once more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong hash)
    {
        var slots = _slots;
        var slot = (int)(hash & (ulong)_mask);
        while (true)
        {
            ref var at = ref slots[slot];
            var entry = at.Entry - 1;
            if (entry < 0)
            {
                break;
            }
            if (at.Key == hash)
            {
                _counts[entry]++;
                return;
            }
            slot = (slot + 1) & _mask;
        }
        if (Count == _hashes.Length)
        {
            Array.Resize(ref _hashes, Count * 2);
            Array.Resize(ref _counts, Count * 2);
        }
        _hashes[Count] = hash;
        _counts[Count] = 1;
        Count++;
        _slots[slot] = new Slot(hash, Count);
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    /// <summary>The position of <paramref name="hash"/> in <see cref="Hashes"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(ulong hash)
    {
        var slot = (int)(hash & (ulong)_mask);
        while (true)
        {
            ref var at = ref _slots[slot];
            var entry = at.Entry - 1;
            if (entry < 0 || at.Key == hash)
            {
                return entry;
            }
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The count of the hash at <paramref name="index"/> (a position <see cref="IndexOf"/> gave).</summary>
    public int CountAt(int index) => _counts[index];

    /// <summary>Sets the count of the hash at <paramref name="index"/> (a set of hashes may keep a value of its own per hash).</summary>
    public void SetCount(int index, int count) => _counts[index] = count;

    /// <summary>The hashes, first occurrence first.</summary>
    public ulong[] Hashes() => _hashes.AsSpan(0, Count).ToArray();

    /// <summary>Their counts.</summary>
    public int[] Counts() => _counts.AsSpan(0, Count).ToArray();

    /// <summary>The hashes, first occurrence first, in place (until the next change).</summary>
    public ReadOnlySpan<ulong> HashSpan => _hashes.AsSpan(0, Count);

    /// <summary>Their counts, in place (until the next change).</summary>
    public ReadOnlySpan<int> CountSpan => _counts.AsSpan(0, Count);

    /// <summary>Forgets everything (clears only the slots in use).</summary>
    public void Clear()
    {
        if (Count * 8 < _slots.Length)
        {
            for (var i = 0; i < Count; i++)
            {
                var slot = (int)(_hashes[i] & (ulong)_mask);
                while (_slots[slot].Entry != 0)
                {
                    _slots[slot] = default;
                    slot = (slot + 1) & _mask;
                }
            }
        }
        else
        {
            Array.Clear(_slots);
        }
        Count = 0;
    }

    private void Grow()
    {
        var size = _slots.Length * 2;
        _slots = new Slot[size];
        _mask = size - 1;
        for (var i = 0; i < Count; i++)
        {
            var slot = (int)(_hashes[i] & (ulong)_mask);
            while (_slots[slot].Entry != 0)
            {
                slot = (slot + 1) & _mask;
            }
            _slots[slot] = new Slot(_hashes[i], i + 1);
        }
    }

    /// <summary>A hash and its position in <see cref="Hashes"/> plus one (0: a free slot).</summary>
    private readonly record struct Slot(ulong Key, int Entry);
}
