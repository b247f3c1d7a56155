using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SpecSynth.Context.Index;

/// <summary>Reads a <see cref="FileRecord"/> blob in place. The blob was checksummed with its index file; a blob whose
/// counts do not fit its length throws <see cref="InvalidDataException"/>.</summary>
internal readonly ref struct RecordView
{
    private readonly ReadOnlySpan<byte> _blob;
    private readonly int _terms;
    private readonly int _declared;
    private readonly int _routes;
    private readonly int _types;

    /// <summary>Views <paramref name="blob"/>.</summary>
    public RecordView(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < FileRecord.HeaderBytes)
        {
            throw new InvalidDataException("Truncated index record.");
        }
        _blob = blob;
        _terms = Count(blob[5..]);
        _declared = Count(blob[9..]);
        _routes = Count(blob[13..]);
        _types = Count(blob[17..]);
        ImportCount = Count(blob[21..]);
        if ((long)FileRecord.HeaderBytes + ((_terms + (long)_declared) * 12) + (((long)_routes + _types) * 8) > blob.Length)
        {
            throw new InvalidDataException("Index record counts do not fit.");
        }
    }

    /// <summary>The number of words.</summary>
    public int Words => BinaryPrimitives.ReadInt32LittleEndian(_blob);

    /// <summary>Whether the content was scanned.</summary>
    public bool Loaded => (_blob[4] & FileRecord.LoadedFlag) != 0;

    /// <summary>Whether the file cannot be ranked.</summary>
    public bool Unreadable => (_blob[4] & FileRecord.UnreadableFlag) != 0;

    /// <summary>The word and compound hashes.</summary>
    public ReadOnlySpan<ulong> TermHashes => Longs(FileRecord.HeaderBytes, _terms);

    /// <summary>Their counts.</summary>
    public ReadOnlySpan<int> TermCounts => MemoryMarshal.Cast<byte, int>(_blob.Slice(FileRecord.HeaderBytes + (_terms * 8), _terms * 4));

    /// <summary>The declared token hashes, sorted.</summary>
    public ReadOnlySpan<ulong> Declared => Longs(FileRecord.HeaderBytes + (_terms * 12), _declared);

    /// <summary>Their counts at first declaration (<see cref="FileRecord.DeclaredCounts"/>).</summary>
    public ReadOnlySpan<int> DeclaredCounts => MemoryMarshal.Cast<byte, int>(_blob.Slice(FileRecord.HeaderBytes + (_terms * 12) + (_declared * 8), _declared * 4));

    /// <summary>The route literal hashes, sorted.</summary>
    public ReadOnlySpan<ulong> Routes => Longs(FileRecord.HeaderBytes + ((_terms + _declared) * 12), _routes);

    /// <summary>The declared type hashes.</summary>
    public ReadOnlySpan<ulong> Types => Longs(FileRecord.HeaderBytes + ((_terms + _declared) * 12) + (_routes * 8), _types);

    /// <summary>The number of module references.</summary>
    public int ImportCount { get; }

    /// <summary>The module references as stored (each a 16-bit length and UTF-8 bytes; the rest of the blob).</summary>
    public ReadOnlySpan<byte> ImportBytes => _blob[(FileRecord.HeaderBytes + ((_terms + _declared) * 12) + ((_routes + _types) * 8))..];

    /// <summary>The module references.</summary>
    public string[] Imports()
    {
        if (ImportCount == 0)
        {
            return [];
        }
        var imports = new string[ImportCount];
        var at = FileRecord.HeaderBytes + ((_terms + _declared) * 12) + ((_routes + _types) * 8);
        for (var i = 0; i < imports.Length; i++)
        {
            if (at + 2 > _blob.Length)
            {
                throw new InvalidDataException("Truncated index record.");
            }
            var length = BinaryPrimitives.ReadUInt16LittleEndian(_blob[at..]);
            if (at + 2 + length > _blob.Length)
            {
                throw new InvalidDataException("Truncated index record.");
            }
            imports[i] = Encoding.UTF8.GetString(_blob.Slice(at + 2, length));
            at += 2 + length;
        }
        return imports;
    }

    private static int Count(ReadOnlySpan<byte> at)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(at);
        return count is >= 0 and <= 1 << 24 ? count : throw new InvalidDataException("Bad index record count.");
    }

    private ReadOnlySpan<ulong> Longs(int offset, int count) => MemoryMarshal.Cast<byte, ulong>(_blob.Slice(offset, count * 8));
}
