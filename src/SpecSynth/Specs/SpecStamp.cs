using SpecSynth.Output;

namespace SpecSynth.Specs;

/// <summary>What a many-spec run keeps of a spec file it checked, to know at the spec's turn that the bytes it reads again
/// are the ones it checked: their length and SHA-256 (40 bytes, no object; as two <see cref="UInt128"/>s it was 48 with
/// their alignment).</summary>
internal readonly record struct SpecStamp(long Length, Sha256Value Hash)
{
    /// <summary>The stamp of <paramref name="bytes"/>.</summary>
    public static SpecStamp Of(ReadOnlySpan<byte> bytes) => new(bytes.Length, Sha256Value.Of(bytes));
}
