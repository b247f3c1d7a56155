using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Context.Index;

/// <summary>
/// The 64-bit hashes the context index keeps instead of text: words and compounds (lower case, joiners left out, as
/// <see cref="ContentScanner"/> counts them), exact identifier tokens (declarations) and route literals (normalised as
/// <see cref="Endpoint.Matches"/> compares them). Stable across processes and platforms.
/// </summary>
internal static class IndexHash
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>The seed of an incremental word hash.</summary>
    public static ulong Seed => FnvOffset;

    /// <summary>Adds one lower-cased byte to an incremental word hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong hash, byte lower) => (hash ^ lower) * FnvPrime;

    /// <summary>Finishes an incremental word hash (spreads FNV's bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>The hash of a query term (lower-case ASCII, no joiners), as the index counts it.</summary>
    public static ulong Term(string term)
    {
        var hash = FnvOffset;
        foreach (var c in term)
        {
            hash = Add(hash, (byte)c);
        }
        return Finish(hash);
    }

    /// <summary>The hash of an exact token (case kept), as declarations are recorded.</summary>
    public static ulong Token(ReadOnlySpan<byte> token) => XxHash3.HashToUInt64(token);

    /// <summary>The hash of a route path by its segments (upper-cased; a parameter segment is <c>null</c>): equal for a
    /// literal and an endpoint whenever <see cref="Endpoint.Matches"/> holds.</summary>
    public static ulong Route(IReadOnlyList<string?> segments)
    {
        var text = string.Join('/', segments.Select(s => s is null ? "\u0001" : s.ToUpperInvariant()));
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    /// <summary>The hash of a candidate's redacted text (what is scanned when the scan already read the file).</summary>
    public static ulong Content(string text) => IndexChecksum.Of(MemoryMarshal.AsBytes(text.AsSpan()));
}
