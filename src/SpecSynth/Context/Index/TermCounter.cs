using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Index;

/// <summary>Counts 64-bit hashes in order of first occurrence: an open-addressing table reused file after file (only the
/// slots a file used are cleared). Not thread-safe.</summary>
internal sealed class TermCounter
{
    private ulong[] _keys = new ulong[1 << 12];
    private int[] _slots = new int[1 << 12];
    private int _mask = (1 << 12) - 1;
    private ulong[] _hashes = new ulong[1 << 10];
    private int[] _counts = new int[1 << 10];

    /// <summary>The number of distinct hashes counted.</summary>
    public int Count { get; private set; }

    /// <summary>Counts <paramref name="hash"/> once more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong hash)
    {
        var slot = (int)(hash & (ulong)_mask);
        while (true)
        {
            var entry = _slots[slot] - 1;
            if (entry < 0)
            {
                break;
            }
            if (_keys[slot] == hash)
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
        _keys[slot] = hash;
        _slots[slot] = Count;
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
            var entry = _slots[slot] - 1;
            if (entry < 0 || _keys[slot] == hash)
            {
                return entry;
            }
            slot = (slot + 1) & _mask;
        }
    }

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
                while (_slots[slot] != 0)
                {
                    _slots[slot] = 0;
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
        _keys = new ulong[size];
        _slots = new int[size];
        _mask = size - 1;
        for (var i = 0; i < Count; i++)
        {
            var slot = (int)(_hashes[i] & (ulong)_mask);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }
            _keys[slot] = _hashes[i];
            _slots[slot] = i + 1;
        }
    }
}
