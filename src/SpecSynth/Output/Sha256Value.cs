using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SpecSynth.Output;

/// <summary>A SHA-256 as four numbers (32 bytes, no object): what a run keeps of each file it wrote.</summary>
internal readonly record struct Sha256Value(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>The SHA-256 of <paramref name="bytes"/>.</summary>
    public static Sha256Value Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return From(hash);
    }

    /// <summary>A journal's hash: 64 lowercase hex digits, else <c>null</c>.</summary>
    public static Sha256Value? TryParse(string hex)
    {
        if (hex.Length != SHA256.HashSizeInBytes * 2 || hex.AsSpan().ContainsAnyExcept(LowerHex))
        {
            return null;
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Convert.FromHexString(hex, hash, out _, out _);
        return From(hash);
    }

    /// <summary>The 64 lowercase hex digits.</summary>
    public override string ToString()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        BinaryPrimitives.WriteUInt64BigEndian(hash, A);
        BinaryPrimitives.WriteUInt64BigEndian(hash[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(hash[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(hash[24..], D);
        return Convert.ToHexStringLower(hash);
    }

    private static Sha256Value From(ReadOnlySpan<byte> hash) => new(BinaryPrimitives.ReadUInt64BigEndian(hash),
        BinaryPrimitives.ReadUInt64BigEndian(hash[8..]), BinaryPrimitives.ReadUInt64BigEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(hash[24..]));

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
