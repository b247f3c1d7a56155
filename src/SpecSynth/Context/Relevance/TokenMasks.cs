using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// One bit per byte of a text, 64 bytes to a <see cref="ulong"/>, classified with vector compares instead of a byte at a
/// time: which bytes are identifier bytes (<see cref="AsciiText"/>'s classes), where each word starts, and where a word
/// cannot go on (a word start, a joiner or a separator). The word rules are <see cref="AsciiText.WordEnd"/>'s: a word
/// starts at a token's first byte that is not a joiner, after a joiner, at a capital after a lower-case letter or a
/// digit, and at the last capital of an acronym followed by a lower-case letter. Reused from file to file; not
/// thread-safe.
/// </summary>
internal sealed class TokenMasks
{
    private ulong[] _ident = new ulong[64];
    private ulong[] _starts = new ulong[64];
    private ulong[] _breaks = new ulong[64];
    private ulong[] _upper = new ulong[64];
    private ulong[] _lower = new ulong[64];
    private ulong[] _lowerOrDigit = new ulong[64];
    private ulong[] _joiner = new ulong[64];
    private ulong[] _digit = new ulong[64];

    /// <summary>The number of 64-byte blocks of the text last built (the arrays hold one more: a sentinel).</summary>
    public int Blocks { get; private set; }

    /// <summary>Identifier bytes (letters, digits, joiners); the sentinel block is 0.</summary>
    public ulong[] Ident => _ident;

    /// <summary>Word starts; the sentinel block is 0.</summary>
    public ulong[] Starts => _starts;

    /// <summary>Digits.</summary>
    public ulong[] Digit => _digit;

    /// <summary>Bytes a word does not go on into: word starts, joiners, separators and everything past the text.</summary>
    public ulong[] Breaks => _breaks;

    /// <summary>Classifies <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(ReadOnlySpan<byte> text)
    {
        var blocks = (text.Length + 63) >> 6;
        Blocks = blocks;
        if (_ident.Length < blocks + 1)
        {
            var size = Math.Max(blocks + 1, _ident.Length * 2);
            _ident = new ulong[size];
            _starts = new ulong[size];
            _breaks = new ulong[size];
            _upper = new ulong[size];
            _lower = new ulong[size];
            _lowerOrDigit = new ulong[size];
            _joiner = new ulong[size];
            _digit = new ulong[size];
        }
        var full = text.Length >> 6;
        ref var at = ref MemoryMarshal.GetReference(text);
        for (var b = 0; b < full; b++)
        {
            Classify(ref Unsafe.Add(ref at, b << 6), b);
        }
        if (full < blocks)
        {
            // The last, partial block: zeros past the end are separators.
            Span<byte> tail = stackalloc byte[64];
            tail.Clear();
            text[(full << 6)..].CopyTo(tail);
            Classify(ref MemoryMarshal.GetReference(tail), full);
        }

        ulong carryIdent = 0, carryJoiner = 0, carryUpper = 0, carryLowerOrDigit = 0;
        for (var b = 0; b < blocks; b++)
        {
            var ident = _ident[b];
            var joiner = _joiner[b];
            var upper = _upper[b];
            var lowerOrDigit = _lowerOrDigit[b];
            var previousIdent = (ident << 1) | carryIdent;
            var previousJoiner = (joiner << 1) | carryJoiner;
            var previousUpper = (upper << 1) | carryUpper;
            var previousLowerOrDigit = (lowerOrDigit << 1) | carryLowerOrDigit;
            var nextLower = (_lower[b] >> 1) | (b + 1 < blocks ? _lower[b + 1] << 63 : 0);
            var word = ident & ~joiner;
            var starts = word & (~previousIdent | previousJoiner | (upper & (previousLowerOrDigit | (previousUpper & nextLower))));
            _starts[b] = starts;
            _breaks[b] = ~word | starts;
            carryIdent = ident >> 63;
            carryJoiner = joiner >> 63;
            carryUpper = upper >> 63;
            carryLowerOrDigit = lowerOrDigit >> 63;
        }
        _ident[blocks] = 0;
        _starts[blocks] = 0;
        _breaks[blocks] = ulong.MaxValue;
    }

    /// <summary>The first position at or after <paramref name="from"/> whose bit in <paramref name="bits"/> is set
    /// (the sentinel block must have one set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NextSet(ulong[] bits, int from)
    {
        var b = from >> 6;
        var word = bits[b] >> (from & 63);
        if (word != 0)
        {
            return from + BitOperations.TrailingZeroCount(word);
        }
        while ((word = bits[++b]) == 0)
        {
        }
        return (b << 6) + BitOperations.TrailingZeroCount(word);
    }

    /// <summary>The first position at or after <paramref name="from"/> whose bit in <paramref name="bits"/> is clear
    /// (the sentinel block must have one clear).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NextClear(ulong[] bits, int from)
    {
        var b = from >> 6;
        var word = ~bits[b] >> (from & 63);
        if (word != 0)
        {
            return from + BitOperations.TrailingZeroCount(word);
        }
        while ((word = ~bits[++b]) == 0)
        {
        }
        return (b << 6) + BitOperations.TrailingZeroCount(word);
    }

    /// <summary>The last position before <paramref name="before"/> whose bit in <paramref name="bits"/> is clear, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PreviousClear(ulong[] bits, int before)
    {
        var b = before >> 6;
        var bit = before & 63;
        var word = bit == 0 ? 0 : ~bits[b] & ((1UL << bit) - 1);
        while (word == 0)
        {
            if (--b < 0)
            {
                return -1;
            }
            word = ~bits[b];
        }
        return (b << 6) + 63 - BitOperations.LeadingZeroCount(word);
    }

    /// <summary>The first position in [<paramref name="from"/>, <paramref name="limit"/>) whose bit in
    /// <paramref name="bits"/> is set, or <paramref name="limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NextSetBefore(ulong[] bits, int from, int limit)
    {
        var b = from >> 6;
        var word = bits[b] >> (from & 63);
        if (word != 0)
        {
            return Math.Min(limit, from + BitOperations.TrailingZeroCount(word));
        }
        var last = (limit - 1) >> 6;
        while (++b <= last)
        {
            if ((word = bits[b]) != 0)
            {
                return Math.Min(limit, (b << 6) + BitOperations.TrailingZeroCount(word));
            }
        }
        return limit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Classify(ref byte block, int b)
    {
        ulong upper = 0, lower = 0, digit = 0, joiner = 0;
        for (var k = 0; k < 4; k++)
        {
            var v = Vector128.LoadUnsafe(ref block, (nuint)(k * 16));
            var u = Vector128.LessThan(v - Vector128.Create((byte)'A'), Vector128.Create((byte)26));
            var l = Vector128.LessThan(v - Vector128.Create((byte)'a'), Vector128.Create((byte)26));
            var d = Vector128.LessThan(v - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
            var j = Vector128.Equals(v, Vector128.Create((byte)'_')) | Vector128.Equals(v, Vector128.Create((byte)'$'));
            var shift = k * 16;
            upper |= (ulong)u.ExtractMostSignificantBits() << shift;
            lower |= (ulong)l.ExtractMostSignificantBits() << shift;
            digit |= (ulong)d.ExtractMostSignificantBits() << shift;
            joiner |= (ulong)j.ExtractMostSignificantBits() << shift;
        }
        var ident = upper | lower | digit | joiner;
        _ident[b] = ident;
        _upper[b] = upper;
        _lower[b] = lower;
        _lowerOrDigit[b] = lower | digit;
        _joiner[b] = joiner;
        _digit[b] = digit;
    }
}
