using System.Buffers.Binary;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// The bytes of a <see cref="TokenCountCache"/>'s files. The cache file (<c>SSCTOK01</c>, unchanged): a 12-byte header (the
/// magic and the entry count), the entries, then the checksum of everything before it. A journal (<c>SSCTOKJ1</c>): the
/// magic, then batches appended one after the other, each its entry count, its entries' byte length, the entries and the
/// checksum of the batch, so a torn or damaged batch ends what is read (the batches before it stay good). An entry:
/// counter (8), kind (1), the hash as a little-endian 128-bit value (16), the day (4), the number of counts (4) and the
/// counts (4 each).
/// </summary>
internal static class TokenCountFile
{
    /// <summary>The cache file's first 8 bytes: "SSCTOK01", little-endian.</summary>
    public const ulong Magic = 0x3130_4B4F_5443_5353;

    /// <summary>A journal's first 8 bytes: "SSCTOKJ1", little-endian.</summary>
    public const ulong JournalMagic = 0x314A_4B4F_5443_5353;

    public const int HeaderBytes = 12, BatchHeaderBytes = 8, EntryHeaderBytes = 8 + 1 + 16 + 4 + 4, TrailerBytes = 8;

    private const int WriteBufferBytes = 16 * 1024;

    /// <summary>The bytes an entry takes.</summary>
    public static long SizeOf(in TokenCountSlot slot) => EntryHeaderBytes + (4L * slot.ValueCount);

    /// <summary>Writes a cache file of the slots <paramref name="slots"/>[0..<paramref name="count"/>] of <paramref name="table"/>.</summary>
    public static void WriteFile(Stream stream, TokenCountTable table, int[] slots, int count) =>
        WriteBlock(stream, Magic, table, slots, count, file: true);

    /// <summary>Appends a journal batch of the slots <paramref name="slots"/>[0..<paramref name="count"/>] of <paramref name="table"/>.</summary>
    public static void WriteBatch(Stream stream, TokenCountTable table, int[] slots, int count) =>
        WriteBlock(stream, 0, table, slots, count, file: false);

    /// <summary>Reads a cache file's entries into <paramref name="table"/> (<see cref="Merge"/>); false (nothing read) when the
    /// bytes are not a whole, intact cache file.</summary>
    public static bool ReadFile(ReadOnlySpan<byte> span, TokenCountTable table)
    {
        if (span.Length < HeaderBytes + TrailerBytes || BinaryPrimitives.ReadUInt64LittleEndian(span) != Magic
            || BinaryPrimitives.ReadUInt64LittleEndian(span[^TrailerBytes..]) != Index.IndexChecksum.Of(span[..^TrailerBytes]))
        {
            return false;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var entries = span[HeaderBytes..^TrailerBytes];
        return count >= 0 && count <= entries.Length / EntryHeaderBytes && Valid(entries, count) && ReadEntries(entries, count, table);
    }

    /// <summary>Reads a journal's intact batches into <paramref name="table"/>, up to the first torn or damaged one; the
    /// number of batches read (0 when it is not a journal).</summary>
    public static int ReadJournal(ReadOnlySpan<byte> span, TokenCountTable table)
    {
        if (span.Length < 8 || BinaryPrimitives.ReadUInt64LittleEndian(span) != JournalMagic)
        {
            return 0;
        }
        var batches = 0;
        var at = 8;
        while (span.Length - at >= BatchHeaderBytes + TrailerBytes)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            var bytes = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 4)..]);
            if (count < 0 || bytes < 0 || bytes > span.Length - at - BatchHeaderBytes - TrailerBytes || count > bytes / EntryHeaderBytes)
            {
                break;
            }
            var block = span.Slice(at, BatchHeaderBytes + bytes);
            if (BinaryPrimitives.ReadUInt64LittleEndian(span[(at + BatchHeaderBytes + bytes)..]) != Index.IndexChecksum.Of(block)
                || !Valid(block[BatchHeaderBytes..], count) || !ReadEntries(block[BatchHeaderBytes..], count, table))
            {
                break;
            }
            batches++;
            at += BatchHeaderBytes + bytes + TrailerBytes;
        }
        return batches;
    }

    /// <summary>Adds <paramref name="entry"/> to <paramref name="table"/>, or brings the day of the entry it holds forward to the
    /// newer of the two; false when the table is full and lacks the key (it stays as it was).</summary>
    public static bool Merge(TokenCountTable table, in TokenCountSlot entry)
    {
        var slot = table.Find(entry.Counter, entry.Kind, entry.Lower, entry.Upper);
        if (slot >= 0)
        {
            ref var held = ref table[slot];
            held.Day = Math.Max(held.Day, entry.Day);
            return true;
        }
        if (table.IsFull)
        {
            return false;
        }
        table.Add(entry);
        return true;
    }

    /// <summary>Whether <paramref name="count"/> entries fill <paramref name="span"/> exactly, every one well formed.</summary>
    private static bool Valid(ReadOnlySpan<byte> span, int count)
    {
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            if (span.Length - at < EntryHeaderBytes)
            {
                return false;
            }
            var kind = span[at + 8];
            var n = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 29)..]);
            at += EntryHeaderBytes;
            if (kind > TokenCountSlot.LinesKind || n < 0 || (kind == TokenCountSlot.TextKind && n != 1) || n > (span.Length - at) / 4)
            {
                return false;
            }
            for (var v = 0; v < n; v++, at += 4)
            {
                if (BinaryPrimitives.ReadInt32LittleEndian(span[at..]) < 0)
                {
                    return false;
                }
            }
        }
        return at == span.Length;
    }

    /// <summary>Merges <paramref name="count"/> well-formed entries into the table; true (a full table skips what it lacks room for).</summary>
    private static bool ReadEntries(ReadOnlySpan<byte> span, int count, TokenCountTable table)
    {
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var kind = span[at + 8];
            var n = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 29)..]);
            var entry = new TokenCountSlot
            {
                Counter = BinaryPrimitives.ReadUInt64LittleEndian(span[at..]),
                Kind = kind,
                Lower = BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 9)..]),
                Upper = BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 17)..]),
                Day = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 25)..]),
            };
            at += EntryHeaderBytes;
            if (kind == TokenCountSlot.TextKind)
            {
                entry.Count = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
                at += 4;
            }
            else
            {
                var lines = new int[n];
                for (var v = 0; v < n; v++, at += 4)
                {
                    lines[v] = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
                }
                entry.Lines = lines;
            }
            Merge(table, entry);
        }
        return true;
    }

    /// <summary>A cache file (the magic, the count, the entries, the checksum) or a journal batch (the count and the entries'
    /// byte length, the entries, the checksum), through one small buffer.</summary>
    private static void WriteBlock(Stream stream, ulong magic, TokenCountTable table, int[] slots, int count, bool file)
    {
        var buffer = new byte[WriteBufferBytes];
        var checksum = new Index.IndexChecksum();
        int at;
        if (file)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, magic);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), count);
            at = HeaderBytes;
        }
        else
        {
            long bytes = 0;
            for (var i = 0; i < count; i++)
            {
                bytes += SizeOf(table[slots[i]]);
            }
            BinaryPrimitives.WriteInt32LittleEndian(buffer, count);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(4), checked((int)bytes));
            at = BatchHeaderBytes;
        }
        for (var i = 0; i < count; i++)
        {
            ref var entry = ref table[slots[i]];
            if (buffer.Length - at < EntryHeaderBytes)
            {
                at = Drain(stream, checksum, buffer, at);
            }
            var span = buffer.AsSpan(at);
            BinaryPrimitives.WriteUInt64LittleEndian(span, entry.Counter);
            span[8] = entry.Kind;
            BinaryPrimitives.WriteUInt64LittleEndian(span[9..], entry.Lower);
            BinaryPrimitives.WriteUInt64LittleEndian(span[17..], entry.Upper);
            BinaryPrimitives.WriteInt32LittleEndian(span[25..], entry.Day);
            BinaryPrimitives.WriteInt32LittleEndian(span[29..], entry.ValueCount);
            at += EntryHeaderBytes;
            if (entry.Lines is null)
            {
                if (buffer.Length - at < 4)
                {
                    at = Drain(stream, checksum, buffer, at);
                }
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), entry.Count);
                at += 4;
                continue;
            }
            foreach (var value in entry.Lines)
            {
                if (buffer.Length - at < 4)
                {
                    at = Drain(stream, checksum, buffer, at);
                }
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value);
                at += 4;
            }
        }
        if (buffer.Length - at < TrailerBytes)
        {
            at = Drain(stream, checksum, buffer, at);
        }
        checksum.Append(buffer.AsSpan(0, at));
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(at), checksum.Finish());
        stream.Write(buffer, 0, at + TrailerBytes);
    }

    /// <summary>Adds the buffer's first <paramref name="count"/> bytes to the checksum and writes them; the buffer is empty after.</summary>
    private static int Drain(Stream stream, Index.IndexChecksum checksum, byte[] buffer, int count)
    {
        checksum.Append(buffer.AsSpan(0, count));
        stream.Write(buffer, 0, count);
        return 0;
    }
}
