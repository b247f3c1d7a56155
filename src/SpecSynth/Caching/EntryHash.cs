using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SpecSynth.Caching;

/// <summary>
/// The 64-bit hash a response-cache entry is found by in the SQLite file (<see cref="SqliteDistributedCache"/>) and known by
/// in memory (<see cref="KnownKeys"/>). It is stored, so it never changes: a key of 64 hexadecimal digits (every key
/// <see cref="ResponseCacheKey"/> makes: a SHA-256 already) hashes to its first 16 digits read as a big-endian integer, with
/// no work beyond parsing them; any other key to the first 8 bytes of the SHA-256 of its UTF-8 bytes. Two keys with one
/// hash only share a slot: readers compare the full key.
/// </summary>
internal static class EntryHash
{
    /// <summary>The hash of <paramref name="key"/>.</summary>
    public static long Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (key.Length == 2 * SHA256.HashSizeInBytes
            && Convert.FromHexString(key.AsSpan(0, 2 * sizeof(long)), digest, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == sizeof(long) && IsHex(key.AsSpan(2 * sizeof(long))))
        {
            return BinaryPrimitives.ReadInt64BigEndian(digest);
        }
        var bytes = Encoding.UTF8.GetBytes(key);
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadInt64BigEndian(digest);
    }

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
