using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SpecSynth.Context.Index;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// The 128-bit key of a counted text in the <see cref="TokenCountCache"/>: <see cref="IndexChecksum"/>'s lanes over the
/// text's UTF-16 code units, finished wide (<see cref="IndexChecksum.FinishWide"/>). Not cryptographic: the key of a cache
/// whose worst collision is a wrong token count.
/// </summary>
internal static class TokenTextHash
{
    /// <summary>The key of <paramref name="text"/>.</summary>
    public static TextHash Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = new IndexChecksum();
        hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
        hash.FinishWide(out var upper, out var lower);
        return new TextHash(upper, lower);
    }

    /// <summary>The key of a list of lines (each with its length, so no two lists share one).</summary>
    public static TextHash OfLines(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var hash = new IndexChecksum();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, lines.Count);
        hash.Append(length);
        foreach (var line in lines)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, line.Length);
            hash.Append(length);
            hash.Append(MemoryMarshal.AsBytes(line.AsSpan()));
        }
        hash.FinishWide(out var upper, out var lower);
        return new TextHash(upper, lower);
    }
}
