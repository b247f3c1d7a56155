using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SpecSynth.Specs;

/// <summary>What a many-spec run keeps of a spec file it checked, to know at the spec's turn that the bytes it reads again
/// are the ones it checked: their length and SHA-256 (40 bytes, no object).</summary>
internal readonly record struct SpecStamp(long Length, UInt128 Upper, UInt128 Lower)
{
    /// <summary>The stamp of <paramref name="bytes"/>.</summary>
    public static SpecStamp Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return new SpecStamp(bytes.Length, BinaryPrimitives.ReadUInt128LittleEndian(hash), BinaryPrimitives.ReadUInt128LittleEndian(hash[16..]));
    }
}
