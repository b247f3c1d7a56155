using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SpecSynth.Context.Relevance;

/// <summary>What scanning one file's content found (only files where something was found get one).</summary>
internal sealed class FileSignals
{
    private string[]? _imports;
    private ulong[]? _types;

    /// <summary>Query term ids that occur in the file, with their counts (term frequency).</summary>
    public required (int Term, int Count)[] Terms { get; init; }

    /// <summary>Ids of the spec identifiers the file declares.</summary>
    public int[] Declares { get; init; } = [];

    /// <summary>Endpoint ids with a route literal in the file; <c>WithMethod</c> when the method is on the same line.</summary>
    public (int Endpoint, bool WithMethod)[] Routes { get; init; } = [];

    /// <summary>Module references as written (<c>./store</c>, <c>node.h</c>, <c>&lt;uv.h</c> for a system include,
    /// <c>py:.models</c> for a Python module). From the context index they are decoded on first use.</summary>
    public string[] Imports
    {
        get => _imports ??= DecodeImports(ImportBytes.Span, ImportCount);
        init => _imports = value;
    }

    /// <summary>The module references as the context index stores them (each a 16-bit length and UTF-8 bytes), or empty
    /// when <see cref="Imports"/> was given as strings.</summary>
    public ReadOnlyMemory<byte> ImportBytes { get; init; }

    /// <summary>How many references <see cref="ImportBytes"/> holds.</summary>
    public int ImportCount { get; init; }

    /// <summary>The types the file declares (after <c>class</c>, <c>struct</c>, <c>interface</c>, ...), as the hashes of
    /// their names (<see cref="ContentScanner.TypeHash"/>): the context index keeps no names.</summary>
    public ulong[] Types
    {
        get => _types ??= TypeSpan.ToArray();
        init => _types = value;
    }

    /// <summary>The type hashes as the context index stores them (little-endian), or empty when <see cref="Types"/> was given.</summary>
    public ReadOnlyMemory<byte> TypeBytes { get; init; }

    /// <summary><see cref="Types"/> without copying them.</summary>
    public ReadOnlySpan<ulong> TypeSpan => _types is { } types ? types : MemoryMarshal.Cast<byte, ulong>(TypeBytes.Span);

    /// <summary>Whether the file references modules.</summary>
    public bool HasImports => _imports is { } imports ? imports.Length > 0 : ImportCount > 0;

    /// <summary>Whether nothing was found.</summary>
    public bool IsEmpty => Terms.Length == 0 && Declares.Length == 0 && Routes.Length == 0 && !HasImports && TypeSpan.IsEmpty;

    /// <summary>Module references as the index stores them: per reference a little-endian length, then its UTF-8 bytes.</summary>
    internal static string[] DecodeImports(ReadOnlySpan<byte> bytes, int count)
    {
        if (count == 0)
        {
            return [];
        }
        var imports = new string[count];
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            imports[i] = Encoding.UTF8.GetString(bytes.Slice(at + 2, length));
            at += 2 + length;
        }
        return imports;
    }
}
