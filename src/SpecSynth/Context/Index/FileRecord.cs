using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SpecSynth.Context.Index;

/// <summary>
/// What the context index keeps of one file, independent of any spec: its number of words, every word and compound
/// it contains as a hash with its count (in order of first occurrence), the hashes of the identifiers it declares,
/// of its route literals and of the types it declares, and its module references (paths). No text of the file.
/// Encoded as one blob (<see cref="Encode"/>, read back with <see cref="RecordView"/>).
/// </summary>
internal sealed class FileRecord
{
    /// <summary>Flag: the file's content was scanned.</summary>
    public const byte LoadedFlag = 1;

    /// <summary>Flag: the file cannot be ranked (binary, not UTF-8, unreadable).</summary>
    public const byte UnreadableFlag = 2;

    /// <summary>Bytes before the arrays: words, flags, five counts.</summary>
    public const int HeaderBytes = 4 + 1 + (5 * 4);

    /// <summary>The number of words (BM25's document length).</summary>
    public int Words { get; init; }

    /// <summary><see cref="LoadedFlag"/>, <see cref="UnreadableFlag"/>.</summary>
    public byte Flags { get; init; }

    /// <summary>Word and compound hashes (<see cref="IndexHash.Term"/>), first occurrence first.</summary>
    public ulong[] TermHashes { get; init; } = [];

    /// <summary>The count of each of <see cref="TermHashes"/>.</summary>
    public int[] TermCounts { get; init; } = [];

    /// <summary>Hashes of the tokens declared somewhere in the file (<see cref="IndexHash.Token"/>), sorted.</summary>
    public ulong[] Declared { get; init; } = [];

    /// <summary>Hashes of the route literals (<see cref="IndexHash.Route"/>), sorted.</summary>
    public ulong[] Routes { get; init; } = [];

    /// <summary>Declared types, as <see cref="Relevance.FileSignals.Types"/>.</summary>
    public ulong[] Types { get; init; } = [];

    /// <summary>Module references, as <see cref="Relevance.FileSignals.Imports"/>.</summary>
    public string[] Imports { get; init; } = [];

    /// <summary>A file whose content was not scanned.</summary>
    public static FileRecord Unloaded(bool unreadable) => new() { Flags = unreadable ? UnreadableFlag : (byte)0 };

    /// <summary>The record as a blob.</summary>
    public byte[] Encode()
    {
        var imports = Imports.Select(Encoding.UTF8.GetBytes).ToArray();
        var size = HeaderBytes + (TermHashes.Length * 12) + ((Declared.Length + Routes.Length + Types.Length) * 8) + imports.Sum(i => 2 + i.Length);
        var blob = new byte[size];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, Words);
        span[4] = Flags;
        BinaryPrimitives.WriteInt32LittleEndian(span[5..], TermHashes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], Declared.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[13..], Routes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], Types.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[21..], imports.Length);
        var at = HeaderBytes;
        at = Write(span, at, TermHashes);
        foreach (var count in TermCounts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], count);
            at += 4;
        }
        at = Write(span, at, Declared);
        at = Write(span, at, Routes);
        at = Write(span, at, Types);
        foreach (var import in imports)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)import.Length);
            import.CopyTo(span[(at + 2)..]);
            at += 2 + import.Length;
        }
        return blob;
    }

    private static int Write(Span<byte> span, int at, ulong[] values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            foreach (var v in values)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(span[at..], v);
                at += 8;
            }
            return at;
        }
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(span[at..]);
        return at + (values.Length * 8);
    }
}
