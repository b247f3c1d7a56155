namespace SpecSynth.Context.Relevance;

/// <summary>
/// Byte-level helpers for scanning UTF-8 source text without decoding it: identifier characters are ASCII letters,
/// digits, <c>_</c> and <c>$</c>; every other byte (including all non-ASCII bytes) separates tokens.
/// </summary>
internal static class AsciiText
{
    /// <summary>Class bit of a lower-case letter.</summary>
    public const byte Lower = 1;

    /// <summary>Class bit of an upper-case letter.</summary>
    public const byte Upper = 2;

    /// <summary>Class bit of a digit.</summary>
    public const byte Digit = 4;

    /// <summary>Class bit of <c>_</c> and <c>$</c>, which join an identifier but separate its words.</summary>
    public const byte Joiner = 8;

    // 64-bit FNV-1a, as the context index hashes words (Index.IndexHash.Add): the tokenizer computes one hash per word
    // for both.
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>The class of every byte value (indexing it with a byte needs no bounds check).</summary>
    public static ReadOnlySpan<byte> Classes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,
        0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 8,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>The ASCII lower case of every byte value (as <see cref="ToLower"/>), for lookups in hot loops.</summary>
    public static ReadOnlySpan<byte> Lowers =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
        32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 91, 92, 93, 94, 95,
        96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
        128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
        144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
        160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
        176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
        192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
        208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
        224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
        240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
    ];

    /// <summary>The class bits of <paramref name="b"/>; 0 for a separator.</summary>
    public static byte ClassOf(byte b) => Classes[b];

    /// <summary>The ASCII lower case of <paramref name="b"/>.</summary>
    public static byte ToLower(byte b) => (byte)((uint)(b - 'A') <= 'Z' - 'A' ? b | 0x20 : b);

    /// <summary>The hash seed for <see cref="Hash(ulong, byte)"/>.</summary>
    public static ulong HashSeed => FnvOffset;

    /// <summary>Adds one (already lower-cased) byte to a 64-bit FNV-1a hash.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ulong hash, byte lower) => (hash ^ lower) * FnvPrime;

    /// <summary>The hash of a lower-case ASCII key, as the scanner computes it for the same letters.</summary>
    public static ulong Hash(ReadOnlySpan<byte> lowerKey)
    {
        var hash = FnvOffset;
        foreach (var b in lowerKey)
        {
            hash = Hash(hash, b);
        }
        return hash;
    }

    /// <summary>The seed of <see cref="WordKey(ReadOnlySpan{byte}, int, int)"/>'s chunk hash.</summary>
    private const ulong KeySeed = 0x9E3779B97F4A7C15;

    /// <summary>Sets bit 5 of every byte of a chunk: the ASCII lower case of a letter, a digit unchanged.</summary>
    private const ulong LowerBits = 0x2020202020202020;

    /// <summary>
    /// The ranker's cheaper word hash (<see cref="IdentifierTokenizer.ScanKeyed{TSink}"/>, <see cref="TermTable.FindKey"/>):
    /// the bytes <c>text[start..start+length)</c> with bit 5 set in each (the lower case of a letter; digits unchanged,
    /// and a word holds nothing else), taken eight at a time as little-endian chunks, mixed. A word of up to eight
    /// letters costs one load and two multiplications instead of one per letter (the index's FNV-1a,
    /// <see cref="Hash(ulong, byte)"/>). Equal words give equal keys; a key says nothing about another word's.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong WordKey(ReadOnlySpan<byte> text, int start, int length)
    {
        if ((uint)(length - 1) < 8 && start + 8 <= text.Length)
        {
            var mask = ulong.MaxValue >> ((8 - length) * 8);
            var chunk = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(text[start..]) & mask;
            return KeyFinish(KeyRound(KeySeed, chunk | (LowerBits & mask)), length);
        }
        return WordKeyLong(text, start, length);
    }

    /// <summary><see cref="WordKey(ReadOnlySpan{byte}, int, int)"/> of a whole (lower-case) key.</summary>
    public static ulong WordKey(ReadOnlySpan<byte> key) => WordKeyLong(key, 0, key.Length);

    /// <summary>A key built a byte at a time (<see cref="WordKey(ReadOnlySpan{byte}, int, int)"/>'s value for the same
    /// bytes): for a token's letters without its joiners.</summary>
    internal struct KeyBuilder()
    {
        private ulong _hash = KeySeed;
        private ulong _pending;
        private int _shift;
        private int _length;

        /// <summary>Adds one byte.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Add(byte b)
        {
            _pending |= (ulong)(byte)(b | 0x20) << _shift;
            _length++;
            _shift += 8;
            if (_shift == 64)
            {
                _hash = KeyRound(_hash, _pending);
                _pending = 0;
                _shift = 0;
            }
        }

        /// <summary>The key of the bytes added.</summary>
        public readonly ulong Finish() => KeyFinish(_shift > 0 ? KeyRound(_hash, _pending) : _hash, _length);
    }

    private static ulong WordKeyLong(ReadOnlySpan<byte> text, int start, int length)
    {
        var word = text.Slice(start, length);
        var hash = KeySeed;
        var i = 0;
        for (; i + 8 <= word.Length; i += 8)
        {
            hash = KeyRound(hash, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(word[i..]) | LowerBits);
        }
        if (i < word.Length)
        {
            var chunk = 0UL;
            for (var k = 0; i + k < word.Length; k++)
            {
                chunk |= (ulong)(byte)(word[i + k] | 0x20) << (k * 8);
            }
            hash = KeyRound(hash, chunk);
        }
        return KeyFinish(hash, length);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong KeyRound(ulong hash, ulong chunk) => ulong.RotateLeft((hash ^ chunk) * 0xBF58476D1CE4E5B9, 27);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong KeyFinish(ulong hash, int length)
    {
        hash = (hash ^ (uint)length) * 0x94D049BB133111EB;
        return hash ^ (hash >> 31);
    }

    /// <summary>Whether <paramref name="raw"/> lower-cased, without joiners when <paramref name="skipJoiners"/>, equals <paramref name="lowerKey"/>.</summary>
    public static bool EqualsLower(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> lowerKey, bool skipJoiners)
    {
        var k = 0;
        foreach (var b in raw)
        {
            if (skipJoiners && Classes[b] == Joiner)
            {
                continue;
            }
            if (k >= lowerKey.Length || ToLower(b) != lowerKey[k])
            {
                return false;
            }
            k++;
        }
        return k == lowerKey.Length;
    }

    /// <summary>
    /// The end (exclusive) of the word of an identifier that starts at <paramref name="start"/> (not a joiner):
    /// words break before an upper-case letter that follows a lower-case letter or digit (<c>maxHeader</c>), before the
    /// last capital of an acronym followed by a lower-case letter (<c>HTTPServer</c>), and at joiners. Digits stay
    /// with the word before them (<c>http2</c>, <c>utf8</c>).
    /// </summary>
    public static int WordEnd(ReadOnlySpan<byte> token, int start)
    {
        var i = start + 1;
        while (i < token.Length)
        {
            var current = Classes[token[i]];
            if (current == Joiner)
            {
                return i;
            }
            var previous = Classes[token[i - 1]];
            if (current == Upper && previous != Upper)
            {
                return i;
            }
            if (current == Upper && i + 1 < token.Length && Classes[token[i + 1]] == Lower)
            {
                return i;
            }
            i++;
        }
        return i;
    }

    /// <summary>The ASCII text of <paramref name="bytes"/> (identifier bytes are ASCII, so this is exact for them).</summary>
    public static string ToAsciiString(ReadOnlySpan<byte> bytes) => System.Text.Encoding.ASCII.GetString(bytes);
}
