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

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

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

    /// <summary>The class bits of <paramref name="b"/>; 0 for a separator.</summary>
    public static byte ClassOf(byte b) => Classes[b];

    /// <summary>The ASCII lower case of <paramref name="b"/>.</summary>
    public static byte ToLower(byte b) => (byte)((uint)(b - 'A') <= 'Z' - 'A' ? b | 0x20 : b);

    /// <summary>The hash seed for <see cref="Hash(uint, byte)"/>.</summary>
    public static uint HashSeed => FnvOffset;

    /// <summary>Adds one (already lower-cased) byte to an FNV-1a hash.</summary>
    public static uint Hash(uint hash, byte lower) => (hash ^ lower) * FnvPrime;

    /// <summary>The hash of a lower-case ASCII key, as the scanner computes it for the same letters.</summary>
    public static uint Hash(ReadOnlySpan<byte> lowerKey)
    {
        var hash = FnvOffset;
        foreach (var b in lowerKey)
        {
            hash = Hash(hash, b);
        }
        return hash;
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
