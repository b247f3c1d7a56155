using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using SpecSynth.Projects;

namespace SpecSynth.Context.Index;

/// <summary>
/// What the context index keeps of one file, independent of any spec: its number of words, every word and compound
/// it contains as a hash with its count (in order of first occurrence), the hashes of the identifiers it declares
/// (each with the count its word or compound had reached at its first declaration), of its route literals and of the types it declares, and its module references (paths). No text of the file.
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

    /// <summary>For each of <see cref="Declared"/>, the count of its word or compound (the term hash its token is counted
    /// under) up to and including the token's first declaration: an upper bound on the occurrences of the token a scan
    /// checks before it finds the declaration (<see cref="IndexQuery"/>).</summary>
    public int[] DeclaredCounts { get; init; } = [];

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
        var blob = new byte[EncodedLength(TermHashes.Length, Declared.Length, Routes.Length, Types.Length, Imports)];
        EncodeTo(blob, Words, Flags, TermHashes, TermCounts, Declared, DeclaredCounts, Routes, Types, Imports);
        return blob;
    }

    /// <summary>The length of a blob with these many terms, declarations, routes, types and these module references.</summary>
    public static int EncodedLength(int terms, int declared, int routes, int types, IReadOnlyList<string> imports)
    {
        var size = HeaderBytes + ((terms + declared) * 12) + ((routes + types) * 8);
        foreach (var import in imports)
        {
            size += 2 + Encoding.UTF8.GetByteCount(import);
        }
        return size;
    }

    /// <summary>Writes a blob into <paramref name="span"/> (<see cref="EncodedLength"/> bytes).</summary>
    public static void EncodeTo(Span<byte> span, int words, byte flags, ReadOnlySpan<ulong> termHashes, ReadOnlySpan<int> termCounts,
        ReadOnlySpan<ulong> declared, ReadOnlySpan<int> declaredCounts, ReadOnlySpan<ulong> routes, ReadOnlySpan<ulong> types, IReadOnlyList<string> imports)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span, words);
        span[4] = flags;
        BinaryPrimitives.WriteInt32LittleEndian(span[5..], termHashes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], declared.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[13..], routes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], types.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[21..], imports.Count);
        var at = HeaderBytes;
        at = Write(span, at, termHashes);
        at = Write(span, at, termCounts);
        at = Write(span, at, declared);
        at = Write(span, at, declaredCounts);
        at = Write(span, at, routes);
        at = Write(span, at, types);
        foreach (var import in imports)
        {
            var length = Encoding.UTF8.GetBytes(import, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)length);
            at += 2 + length;
        }
    }

    /// <summary>The blob of <paramref name="record"/> without its rows (no terms, declarations or routes): what the
    /// head of a segment keeps of it, when its rows travel apart (<see cref="RowSpill"/>).</summary>
    public static byte[] HeadOnly(RecordView record)
    {
        var types = record.Types;
        var imports = record.ImportBytes;
        var blob = new byte[HeaderBytes + (types.Length * 8) + imports.Length];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, record.Words);
        span[4] = (byte)((record.Loaded ? LoadedFlag : 0) | (record.Unreadable ? UnreadableFlag : 0));
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], types.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[21..], record.ImportCount);
        var at = Write(span, HeaderBytes, types);
        imports.CopyTo(span[at..]);
        return blob;
    }

    /// <summary>Whether a record with these module references may be kept: its module references are paths, but a URL
    /// with credentials would be a secret.</summary>
    public static bool Storable(IReadOnlyList<string> imports)
    {
        foreach (var import in imports)
        {
            if ((import.Contains('@', StringComparison.Ordinal) || import.Contains(':', StringComparison.Ordinal) || import.Length > 64)
                && SecretRedactor.Redact(import) != import)
            {
                return false;
            }
        }
        return true;
    }

    private static int Write(Span<byte> span, int at, ReadOnlySpan<int> values)
    {
        foreach (var value in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], value);
            at += 4;
        }
        return at;
    }

    private static int Write(Span<byte> span, int at, ReadOnlySpan<ulong> values)
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
        MemoryMarshal.AsBytes(values).CopyTo(span[at..]);
        return at + (values.Length * 8);
    }
}
