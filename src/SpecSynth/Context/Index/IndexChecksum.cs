using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpecSynth.Context.Index;

/// <summary>
/// The index file's checksum: four 64-bit multiply-rotate lanes (xxHash64's round) over the bytes, then the tail and
/// the length. Any flipped byte or changed length changes it (but for a 2^-64 chance). Written here rather than taken
/// from System.IO.Hashing: its vectorised code is not in the ReadyToRun image, and a fresh process hashing tens of
/// megabytes at tier 0 spent hundreds of milliseconds; this loop is compiled fully optimised on first use.
/// </summary>
internal sealed class IndexChecksum
{
    private const ulong Prime1 = 11400714785074694791;
    private const ulong Prime2 = 14029467366897019727;
    private const ulong Prime3 = 1609587929392839161;
    private const ulong Prime4 = 9650029242287828579;
    private const ulong Prime5 = 2870177450012600261;

    private ulong _a = unchecked(Prime1 + Prime2);
    private ulong _b = Prime2;
    private ulong _c;
    private ulong _d = unchecked(0 - Prime1);
    private readonly byte[] _pending = new byte[32];
    private int _pendingLength;
    private long _length;

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static ulong Of(ReadOnlySpan<byte> data)
    {
        var checksum = new IndexChecksum();
        checksum.Append(data);
        return checksum.Finish();
    }

    /// <summary>Adds <paramref name="data"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _length += data.Length;
        if (_pendingLength > 0)
        {
            var take = Math.Min(32 - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < 32)
            {
                return;
            }
            Rounds(_pending);
            _pendingLength = 0;
        }
        var whole = data.Length & ~31;
        Rounds(data[..whole]);
        data[whole..].CopyTo(_pending);
        _pendingLength = data.Length - whole;
    }

    /// <summary>The checksum of everything added.</summary>
    public ulong Finish()
    {
        var hash = BitOperations.RotateLeft(_a, 1) + BitOperations.RotateLeft(_b, 7) + BitOperations.RotateLeft(_c, 12) + BitOperations.RotateLeft(_d, 18);
        foreach (var b in _pending.AsSpan(0, _pendingLength))
        {
            hash = BitOperations.RotateLeft(hash ^ (b * Prime3), 11) * Prime1;
        }
        hash ^= (ulong)_length;
        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        return hash ^ (hash >> 32);
    }

    /// <summary>A 128-bit hash of everything added (the same lanes merged twice into two independent 64-bit halves, with
    /// the length): the key of a counted text in the token-count cache (<see cref="Tokens.TokenTextHash"/>). Two
    /// <see cref="ulong"/>s, not a <see cref="UInt128"/>: ReadyToRun precompiles no method that passes one around.</summary>
    /// <param name="upper">The upper 64 bits.</param>
    /// <param name="lower">The lower 64 bits.</param>
    public void FinishWide(out ulong upper, out ulong lower)
    {
        var high = BitOperations.RotateLeft(_a, 1) + BitOperations.RotateLeft(_b, 7) + BitOperations.RotateLeft(_c, 12) + BitOperations.RotateLeft(_d, 18);
        var low = BitOperations.RotateLeft(_d, 3) ^ (BitOperations.RotateLeft(_c, 17) * Prime4) ^ (BitOperations.RotateLeft(_b, 29) * Prime5) ^ (_a * Prime3);
        foreach (var b in _pending.AsSpan(0, _pendingLength))
        {
            high = BitOperations.RotateLeft(high ^ (b * Prime3), 11) * Prime1;
            low = BitOperations.RotateLeft(low ^ (b * Prime5), 13) * Prime4;
        }
        upper = Mix(high ^ (ulong)_length, Prime2, Prime3);
        lower = Mix(low + (ulong)_length, Prime4, Prime2);
    }

    private static ulong Mix(ulong hash, ulong p, ulong q)
    {
        hash ^= hash >> 33;
        hash *= p;
        hash ^= hash >> 29;
        hash *= q;
        return hash ^ (hash >> 32);
    }

    private void Rounds(ReadOnlySpan<byte> data)
    {
        var (a, b, c, d) = (_a, _b, _c, _d);
        if (BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(data);
            for (var i = 0; i + 3 < words.Length; i += 4)
            {
                a = Round(a, words[i]);
                b = Round(b, words[i + 1]);
                c = Round(c, words[i + 2]);
                d = Round(d, words[i + 3]);
            }
        }
        else
        {
            for (var i = 0; i + 31 < data.Length; i += 32)
            {
                a = Round(a, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
                b = Round(b, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 8)..]));
                c = Round(c, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 16)..]));
                d = Round(d, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 24)..]));
            }
        }
        (_a, _b, _c, _d) = (a, b, c, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong lane, ulong input) => BitOperations.RotateLeft(lane + (input * Prime2), 31) * Prime1;
}
