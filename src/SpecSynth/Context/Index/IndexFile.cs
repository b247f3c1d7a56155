using System.Buffers.Binary;
using System.Text;

namespace SpecSynth.Context.Index;

/// <summary>
/// One segment of a project's context index on disk, inverted: a head (the files — path, how its content is known,
/// words, flags, declared types, module references) read whole, a body of three tables (word and compound hashes,
/// declared token hashes, route literal hashes), each posting rows (file, count, first-occurrence rank), a bucket
/// directory and a sorted key dictionary, read only where a query's keys lead, and after the body a checksum per body
/// page, read whole with the head. Every body page read is checked against its checksum and the head with the page
/// checksums against the head's own (<see cref="IndexChecksum"/>): a
/// truncated, altered or foreign segment is refused (<see cref="InvalidDataException"/> from a lookup) and the caller
/// scans instead. A base segment stands alone; a delta segment names the base it extends (<see cref="BaseId"/>) and is
/// ignored with any other. Written by <see cref="IndexWriter"/> to a temporary file renamed over the old one, so a
/// reader sees a whole old segment or a whole new one.
/// </summary>
internal sealed class IndexFile : IDisposable
{
    /// <summary>The file's extension.</summary>
    public const string Extension = ".ctxidx";

    /// <summary>What a delta segment's name adds to its base's name (before the extension).</summary>
    public const string DeltaSuffix = "-delta";

    /// <summary>The word and compound table (rows: file, count, first-occurrence rank).</summary>
    public const int TermTable = 0;

    /// <summary>The declared token table (rows: file, count of the token's term at its first declaration).</summary>
    public const int DeclaredTable = 1;

    /// <summary>The route literal table (rows: file).</summary>
    public const int RouteTable = 2;

    /// <summary>The number of tables.</summary>
    public const int Tables = 3;

    /// <summary>Bytes per body page (each with its own checksum in the head).</summary>
    public const int PageSize = 16 * 1024;

    /// <summary>Bytes of the head before the root path.</summary>
    public const int FixedHead = 52 + (Tables * 20);

    internal const uint Magic = 0x58435353; // "SSCX"

    /// <summary>The format version: 3 is the inverted, paged format with delta segments, each table's rows before its
    /// dictionary and the page checksums after the body (written in one pass); 4 adds to each declared token's row the
    /// count its term had reached at the token's first declaration (<see cref="FileRecord.DeclaredCounts"/>). A segment
    /// of another version is not opened (the index is then built again).</summary>
    internal const int Version = 4;

    /// <summary>Bytes per posting row of each table.</summary>
    internal static readonly int[] RowWidths = [12, 8, 4];

    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private readonly byte[] _head;
    private readonly int _headLength;
    private readonly long _bodyLength;
    private readonly ulong[] _pages;
    private readonly TableInfo[] _tables;

    private IndexFile(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, byte[] head, long bodyLength, ulong[] pages,
        TableInfo[] tables, Entry[] entries, string root, long writtenNs, ulong id, ulong baseId)
    {
        _handle = handle;
        Length = length;
        _head = head;
        _headLength = head.Length;
        _bodyLength = bodyLength;
        _pages = pages;
        _tables = tables;
        EntryArray = entries;
        Root = root;
        WrittenNs = writtenNs;
        Id = id;
        BaseId = baseId;
    }

    /// <summary>Receives one posting row of <see cref="ScanTable"/>.</summary>
    public delegate void RowVisitor(ulong key, int entry, int count, int rank);

    /// <summary>The indexed files.</summary>
    public IReadOnlyList<Entry> Entries => EntryArray;

    /// <summary>The indexed files as an array (a ranking's hot loops index it directly).</summary>
    internal Entry[] EntryArray { get; }

    /// <summary>The project's real path.</summary>
    public string Root { get; }

    /// <summary>When the segment was written, by the file system's clock (nanoseconds since the Unix epoch).</summary>
    public long WrittenNs { get; }

    /// <summary>This segment's identity (random, new with every write).</summary>
    public ulong Id { get; }

    /// <summary>The base a delta segment extends (0 for a base).</summary>
    public ulong BaseId { get; }

    /// <summary>The segment's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The delta segment's path of the base segment at <paramref name="basePath"/>.</summary>
    public static string DeltaPathOf(string basePath) => basePath[..^Extension.Length] + DeltaSuffix + Extension;

    /// <summary>The entry of <paramref name="path"/> known by <paramref name="signature"/> (by its redacted text's hash
    /// when <paramref name="content"/>), or -1.</summary>
    public int Find(string path, bool content, FileSignature signature)
    {
        var hint = 0;
        return Find(path, content, signature, ref hint);
    }

    /// <summary><see cref="Find(string, bool, FileSignature)"/> from a position: paths asked for in ordinal order (as a
    /// walk gives them) are found by comparing each with the entry after the last one found, without decoding any stored
    /// path; any other order is found by a binary search. <paramref name="hint"/> is where to look next (start at 0).</summary>
    public int Find(string path, bool content, FileSignature signature, ref int hint)
    {
        var i = Locate(path, content, ref hint);
        return i >= 0 && EntryArray[i].Signature == signature ? i : -1;
    }

    /// <summary>Whether an entry of <paramref name="path"/> exists, whatever its signature.</summary>
    public bool Has(string path, bool content)
    {
        var hint = 0;
        return Locate(path, content, ref hint) >= 0;
    }

    /// <summary>The relative path of entry <paramref name="entry"/> (decoded when asked: a warm ranking decodes none).</summary>
    public string PathOf(int entry) => Encoding.UTF8.GetString(PathBytes(entry));

    /// <summary>The relative path of entry <paramref name="entry"/> as stored (UTF-8).</summary>
    public ReadOnlySpan<byte> PathBytes(int entry) => _head.AsSpan(EntryArray[entry].PathAt, EntryArray[entry].PathLength);

    /// <summary>The entry of (<paramref name="path"/>, <paramref name="content"/>), or -1. Entries are stored in the order
    /// the writer sorts them (ordinal path, then content); one stored out of order can only make an entry unfound (the
    /// file is then read again), never match another path.</summary>
    private int Locate(string path, bool content, ref int hint)
    {
        var n = EntryArray.Length;
        if (n == 0)
        {
            return -1;
        }
        var at = (uint)hint < (uint)n ? hint : 0;
        var c = Compare(at, path, content);
        if (c == 0)
        {
            hint = at + 1;
            return at;
        }
        int lo, hi;
        if (c < 0)
        {
            // The entry is before the path: the path is most often one of the next few (the ones between were not asked for).
            lo = at + 1;
            hi = n;
            for (var step = 0; step < 4 && lo < hi; step++, lo++)
            {
                c = Compare(lo, path, content);
                if (c == 0)
                {
                    hint = lo + 1;
                    return lo;
                }
                if (c > 0)
                {
                    hint = lo;
                    return -1;
                }
            }
        }
        else
        {
            lo = 0;
            hi = at;
        }
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            c = Compare(mid, path, content);
            if (c == 0)
            {
                hint = mid + 1;
                return mid;
            }
            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        hint = lo;
        return -1;
    }

    /// <summary>Entry <paramref name="entry"/> against (<paramref name="path"/>, <paramref name="content"/>) in the writer's
    /// order: ordinal (UTF-16) path, then content after not.</summary>
    private int Compare(int entry, string path, bool content)
    {
        ref readonly var e = ref EntryArray[entry];
        var c = CompareOrdinal(_head.AsSpan(e.PathAt, e.PathLength), path);
        return c != 0 ? c : e.Content.CompareTo(content);
    }

    /// <summary>The stored UTF-8 <paramref name="utf8"/> (decoded as <see cref="Encoding.UTF8"/> decodes it) against
    /// <paramref name="text"/>, as <see cref="string.CompareOrdinal(string, string)"/> compares them (the sign only): byte
    /// by byte while both are ASCII, else the rest decoded.</summary>
    internal static int CompareOrdinal(ReadOnlySpan<byte> utf8, string text)
    {
        var n = Math.Min(utf8.Length, text.Length);
        for (var i = 0; i < n; i++)
        {
            int b = utf8[i];
            int ch = text[i];
            if ((b | ch) >= 0x80)
            {
                return CompareDecoded(utf8[i..], text.AsSpan(i));
            }
            if (b != ch)
            {
                return b - ch;
            }
        }
        // An ASCII prefix is as many characters as bytes: the shorter is first.
        return utf8.Length == text.Length ? 0 : utf8.Length < text.Length ? -1 : 1;
    }

    private static int CompareDecoded(ReadOnlySpan<byte> utf8, ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetCharCount(utf8);
        char[]? rented = null;
        var chars = length <= 256 ? stackalloc char[256] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetChars(utf8, chars);
            return Math.Sign(chars[..written].SequenceCompareTo(text));
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The number of rows of table <paramref name="table"/>.</summary>
    public int RowsOf(int table) => _tables[table].Rows;

    /// <summary>The declared type hashes of entry <paramref name="entry"/>, as stored.</summary>
    public ReadOnlySpan<byte> TypeBytes(int entry) => _head.AsSpan(EntryArray[entry].TypesAt, EntryArray[entry].TypeCount * 8);

    /// <summary>The module references of entry <paramref name="entry"/> as stored (each a 16-bit length and UTF-8 bytes).</summary>
    public ReadOnlySpan<byte> ImportBytes(int entry) => _head.AsSpan(EntryArray[entry].ImportsAt, EntryArray[entry].ImportsLength);

    /// <summary><see cref="TypeBytes"/> as memory that stays valid while the segment is referenced (the head is kept whole).</summary>
    internal ReadOnlyMemory<byte> TypeMemory(int entry) => _head.AsMemory(EntryArray[entry].TypesAt, EntryArray[entry].TypeCount * 8);

    /// <summary><see cref="ImportBytes"/> as memory that stays valid while the segment is referenced.</summary>
    internal ReadOnlyMemory<byte> ImportMemory(int entry) => _head.AsMemory(EntryArray[entry].ImportsAt, EntryArray[entry].ImportsLength);

    /// <summary>The declared type hashes of entry <paramref name="entry"/>.</summary>
    public ulong[] Types(int entry)
    {
        var bytes = TypeBytes(entry);
        var types = new ulong[bytes.Length / 8];
        for (var t = 0; t < types.Length; t++)
        {
            types[t] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(t * 8)..]);
        }
        return types;
    }

    /// <summary>The module references of entry <paramref name="entry"/>.</summary>
    public string[] Imports(int entry)
    {
        var count = EntryArray[entry].ImportCount;
        return count == 0 ? [] : Relevance.FileSignals.DecodeImports(ImportBytes(entry), count);
    }

    /// <summary>The posting rows of <paramref name="key"/> in table <paramref name="table"/> (none when absent).</summary>
    /// <exception cref="InvalidDataException">The segment is damaged.</exception>
    public Postings Lookup(int table, ulong key)
    {
        var info = _tables[table];
        if (info.Keys == 0)
        {
            return default;
        }
        var bucket = info.Bits == 0 ? 0 : (int)(key >> (64 - info.Bits));
        var dir = ReadBody(info.DirectoryOffset + (bucket * 4L), 8, out var at);
        var from = BinaryPrimitives.ReadInt32LittleEndian(dir.AsSpan(at));
        var to = BinaryPrimitives.ReadInt32LittleEndian(dir.AsSpan(at + 4));
        if (from < 0 || to < from || to > info.Keys)
        {
            throw new InvalidDataException("Bad index bucket.");
        }
        if (from == to)
        {
            return default;
        }
        var dict = ReadBody(info.DictOffset + (from * 16L), (to - from) * 16, out at);
        for (var k = 0; k < to - from; k++)
        {
            var entry = dict.AsSpan(at + (k * 16));
            if (BinaryPrimitives.ReadUInt64LittleEndian(entry) != key)
            {
                continue;
            }
            var start = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            var count = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
            if (start < 0 || count <= 0 || (long)start + count > info.Rows)
            {
                throw new InvalidDataException("Bad index key.");
            }
            var width = RowWidths[table];
            var rows = ReadBody(info.RowsOffset + ((long)start * width), count * width, out var rowsAt);
            return new Postings(rows, rowsAt, count, width, EntryArray.Length);
        }
        return default;
    }

    /// <summary>Every posting row of table <paramref name="table"/> (to copy a segment's entries into a new one).</summary>
    /// <exception cref="InvalidDataException">The segment is damaged.</exception>
    public void ScanTable(int table, RowVisitor visit, CancellationToken ct)
    {
        var info = _tables[table];
        if (info.Keys == 0)
        {
            return;
        }
        var width = RowWidths[table];
        const int KeysPerRead = 4096;
        for (var first = 0; first < info.Keys; first += KeysPerRead)
        {
            ct.ThrowIfCancellationRequested();
            var keys = Math.Min(KeysPerRead, info.Keys - first);
            var dict = ReadBody(info.DictOffset + (first * 16L), keys * 16, out var at);
            var rowStart = BinaryPrimitives.ReadInt32LittleEndian(dict.AsSpan(at + 8));
            var last = dict.AsSpan(at + ((keys - 1) * 16));
            var rowEnd = (long)BinaryPrimitives.ReadInt32LittleEndian(last[8..]) + BinaryPrimitives.ReadInt32LittleEndian(last[12..]);
            if (rowStart < 0 || rowEnd < rowStart || rowEnd > info.Rows)
            {
                throw new InvalidDataException("Bad index key.");
            }
            var rows = ReadBody(info.RowsOffset + ((long)rowStart * width), (int)(rowEnd - rowStart) * width, out var rowsAt);
            var postings = new Postings(rows, rowsAt, (int)(rowEnd - rowStart), width, EntryArray.Length);
            var expected = rowStart;
            for (var k = 0; k < keys; k++)
            {
                var entry = dict.AsSpan(at + (k * 16));
                var key = BinaryPrimitives.ReadUInt64LittleEndian(entry);
                var start = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
                var count = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
                if (start != expected || count <= 0 || (long)start + count > rowEnd)
                {
                    throw new InvalidDataException("Bad index key.");
                }
                for (var r = 0; r < count; r++)
                {
                    var row = postings.Row(start - rowStart + r);
                    visit(key, row.Entry, row.Count, row.Rank);
                }
                expected = start + count;
            }
        }
    }

    /// <summary>Bytes <c>[offset, offset + length)</c> of the body, checked page by page: the buffer holds the pages,
    /// <paramref name="at"/> where the bytes start in it.</summary>
    private byte[] ReadBody(long offset, int length, out int at)
    {
        if (offset < 0 || length <= 0 || offset + length > _bodyLength)
        {
            throw new InvalidDataException("Index read out of bounds.");
        }
        var firstPage = offset / PageSize;
        var lastPage = (offset + length - 1) / PageSize;
        var from = firstPage * PageSize;
        var to = Math.Min((lastPage + 1) * PageSize, _bodyLength);
        var buffer = new byte[to - from];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer.AsSpan(filled), _headLength + from + filled);
            if (read <= 0)
            {
                throw new InvalidDataException("The index is shorter than it says.");
            }
            filled += read;
        }
        for (var page = firstPage; page <= lastPage; page++)
        {
            var start = (int)((page - firstPage) * PageSize);
            var end = (int)Math.Min(start + (long)PageSize, buffer.Length);
            if (IndexChecksum.Of(buffer.AsSpan(start, end - start)) != _pages[page])
            {
                throw new InvalidDataException("Index page checksum mismatch.");
            }
        }
        at = (int)(offset - from);
        return buffer;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>The segment at <paramref name="path"/> with its head read and checked, or <c>null</c> when it is missing,
    /// unreadable, damaged or not an index of this version (its body is checked as it is read).</summary>
    public static IndexFile? TryOpen(string path)
    {
        // No index yet is the common case of a project that never had one (every spec of a run asks): a plain false,
        // not an exception thrown and caught (issue 19). A file removed right after this check still lands in the catch.
        if (!File.Exists(path))
        {
            return null;
        }
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            if (Open(handle) is { } file)
            {
                return file;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or IndexOutOfRangeException
            or DecoderFallbackException or OverflowException)
        {
        }
        handle.Dispose();
        return null;
    }

    private static IndexFile? Open(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        if (length < FixedHead + 10 || length > int.MaxValue)
        {
            return null;
        }
        var fixedHead = new byte[FixedHead];
        if (RandomAccess.Read(handle, fixedHead, 0) != fixedHead.Length || BinaryPrimitives.ReadUInt32LittleEndian(fixedHead) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(fixedHead.AsSpan(4)) != Version)
        {
            return null;
        }
        var headLength = BinaryPrimitives.ReadInt32LittleEndian(fixedHead.AsSpan(32));
        var count = BinaryPrimitives.ReadInt32LittleEndian(fixedHead.AsSpan(36));
        var pageCount = BinaryPrimitives.ReadInt32LittleEndian(fixedHead.AsSpan(40));
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(fixedHead.AsSpan(44));
        if (headLength < FixedHead + 10 || headLength > length || bodyLength < 0 || count < 0 || count > headLength / 40
            || pageCount != (bodyLength + PageSize - 1) / PageSize || length != headLength + bodyLength + (pageCount * 8L))
        {
            return null;
        }
        var head = new byte[headLength];
        var filled = 0;
        while (filled < headLength)
        {
            var read = RandomAccess.Read(handle, head.AsSpan(filled), filled);
            if (read <= 0)
            {
                return null;
            }
            filled += read;
        }
        var checksums = new byte[pageCount * 8];
        filled = 0;
        while (filled < checksums.Length)
        {
            var read = RandomAccess.Read(handle, checksums.AsSpan(filled), headLength + bodyLength + filled);
            if (read <= 0)
            {
                return null;
            }
            filled += read;
        }
        if (HeadChecksum(head.AsSpan(0, headLength - 8), checksums) != BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(headLength - 8)))
        {
            return null;
        }
        var span = head.AsSpan();
        var tables = new TableInfo[Tables];
        long expected = 0;
        for (var t = 0; t < Tables; t++)
        {
            var row = span.Slice(52 + (t * 20), 20);
            var info = new TableInfo(BinaryPrimitives.ReadInt32LittleEndian(row), BinaryPrimitives.ReadInt32LittleEndian(row[4..]),
                BinaryPrimitives.ReadInt32LittleEndian(row[8..]), BinaryPrimitives.ReadInt64LittleEndian(row[12..]), RowWidths[t]);
            if (info.Bits is < 0 or > 24 || info.Keys < 0 || info.Rows < info.Keys || info.Offset != expected)
            {
                return null;
            }
            tables[t] = info;
            expected = info.End;
        }
        if (expected != bodyLength)
        {
            return null;
        }
        var at = FixedHead;
        var root = ReadString(span, ref at);
        var entries = new Entry[count];
        var tableEnd = headLength - 8;
        for (var i = 0; i < count; i++)
        {
            // The path stays bytes in the head (decoded only when asked for, by PathOf).
            var pathLength = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
            var pathAt = at + 2;
            at = pathAt + pathLength;
            if (at + 46 > tableEnd)
            {
                return null;
            }
            var row = span.Slice(at, 46);
            var signature = new FileSignature(BinaryPrimitives.ReadInt64LittleEndian(row[1..]), BinaryPrimitives.ReadInt64LittleEndian(row[9..]),
                BinaryPrimitives.ReadInt64LittleEndian(row[17..]), BinaryPrimitives.ReadUInt64LittleEndian(row[25..]));
            var words = BinaryPrimitives.ReadInt32LittleEndian(row[33..]);
            var flags = row[37];
            var typeCount = BinaryPrimitives.ReadInt32LittleEndian(row[38..]);
            var importCount = BinaryPrimitives.ReadInt32LittleEndian(row[42..]);
            at += 46;
            if (typeCount < 0 || importCount < 0 || typeCount > tableEnd || at + (typeCount * 8L) > tableEnd)
            {
                return null;
            }
            var typesAt = at;
            at += typeCount * 8;
            var importsAt = at;
            for (var k = 0; k < importCount; k++)
            {
                var importLength = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
                at += 2 + importLength;
                if (at > tableEnd)
                {
                    return null;
                }
            }
            entries[i] = new Entry(pathAt, pathLength, row[0] != 0, signature, words, flags, typesAt, typeCount, importsAt, importCount, at - importsAt);
        }
        if (at != tableEnd)
        {
            return null;
        }
        var pages = new ulong[pageCount];
        for (var p = 0; p < pageCount; p++)
        {
            pages[p] = BinaryPrimitives.ReadUInt64LittleEndian(checksums.AsSpan(p * 8));
        }
        return new IndexFile(handle, length, head, bodyLength, pages, tables, entries, root,
            BinaryPrimitives.ReadInt64LittleEndian(span[8..]), BinaryPrimitives.ReadUInt64LittleEndian(span[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[24..]));
    }

    /// <summary>The head's checksum: of the head before it, then the page checksums.</summary>
    internal static ulong HeadChecksum(ReadOnlySpan<byte> head, ReadOnlySpan<byte> pageChecksums)
    {
        var checksum = new IndexChecksum();
        checksum.Append(head);
        checksum.Append(pageChecksums);
        return checksum.Finish();
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int at)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        var text = Encoding.UTF8.GetString(span.Slice(at + 2, length));
        at += 2 + length;
        return text;
    }

    /// <summary>One indexed file.</summary>
    /// <param name="PathAt">Where its relative path (UTF-8) starts in the head (<see cref="PathOf"/>).</param>
    /// <param name="PathLength">The path's bytes.</param>
    /// <param name="Content">Known by its redacted text's hash (<see cref="FileSignature.Inode"/>) rather than its signature.</param>
    /// <param name="Signature">Its signature when it was scanned.</param>
    /// <param name="Words">Its number of words.</param>
    /// <param name="Flags"><see cref="FileRecord.LoadedFlag"/>, <see cref="FileRecord.UnreadableFlag"/>.</param>
    /// <param name="TypesAt">Where its type hashes start in the head.</param>
    /// <param name="TypeCount">How many type hashes.</param>
    /// <param name="ImportsAt">Where its module references start in the head.</param>
    /// <param name="ImportCount">How many module references.</param>
    /// <param name="ImportsLength">Their bytes.</param>
    internal readonly record struct Entry(int PathAt, int PathLength, bool Content, FileSignature Signature, int Words, byte Flags,
        int TypesAt, int TypeCount, int ImportsAt, int ImportCount, int ImportsLength)
    {
        /// <summary>Whether the content was scanned.</summary>
        public bool Loaded => (Flags & FileRecord.LoadedFlag) != 0;

        /// <summary>Whether the file cannot be ranked.</summary>
        public bool Unreadable => (Flags & FileRecord.UnreadableFlag) != 0;
    }

    /// <summary>Where a table lies in the body: <c>Rows</c> rows, a directory of <c>2^Bits + 1</c> key indexes,
    /// <c>Keys</c> dictionary entries (key, first row, rows).</summary>
    internal readonly record struct TableInfo(int Bits, int Keys, int Rows, long Offset, int Width)
    {
        /// <summary>Where the rows start.</summary>
        public long RowsOffset => Offset;

        /// <summary>Where the directory starts.</summary>
        public long DirectoryOffset => RowsOffset + ((long)Rows * Width);

        /// <summary>Where the dictionary starts.</summary>
        public long DictOffset => DirectoryOffset + (((1L << Bits) + 1) * 4);

        /// <summary>Where the table ends.</summary>
        public long End => DictOffset + (Keys * 16L);
    }

    /// <summary>Posting rows read from a table (checked to name entries of the segment).</summary>
    internal readonly struct Postings
    {
        private readonly byte[]? _buffer;
        private readonly int _at;
        private readonly int _width;
        private readonly int _entries;

        /// <summary>Wraps <paramref name="count"/> rows of <paramref name="width"/> bytes at <paramref name="at"/>.</summary>
        public Postings(byte[] buffer, int at, int count, int width, int entries)
        {
            _buffer = buffer;
            _at = at;
            Count = count;
            _width = width;
            _entries = entries;
        }

        /// <summary>The number of rows.</summary>
        public int Count { get; }

        /// <summary>The entry of row <paramref name="r"/>.</summary>
        /// <exception cref="InvalidDataException">The row names no entry.</exception>
        public int EntryAt(int r)
        {
            var entry = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_at + (r * _width), 4));
            return (uint)entry < (uint)_entries ? entry : throw new InvalidDataException("Bad index row.");
        }

        /// <summary>The count of row <paramref name="r"/> (term and declared rows; 0 for routes).</summary>
        public int CountAt(int r) => _width >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_at + (r * _width) + 4, 4)) : 0;

        /// <summary>The first-occurrence rank of row <paramref name="r"/> (term rows; 0 for the others).</summary>
        public int RankAt(int r) => _width >= 12 ? BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_at + (r * _width) + 8, 4)) : 0;

        /// <summary>Row <paramref name="r"/>: the entry, and for terms its count and first-occurrence rank.</summary>
        /// <exception cref="InvalidDataException">The row names no entry.</exception>
        public (int Entry, int Count, int Rank) Row(int r)
        {
            var row = _buffer.AsSpan(_at + (r * _width), _width);
            var entry = BinaryPrimitives.ReadInt32LittleEndian(row);
            if ((uint)entry >= (uint)_entries)
            {
                throw new InvalidDataException("Bad index row.");
            }
            return _width switch
            {
                >= 12 => (entry, BinaryPrimitives.ReadInt32LittleEndian(row[4..]), BinaryPrimitives.ReadInt32LittleEndian(row[8..])),
                >= 8 => (entry, BinaryPrimitives.ReadInt32LittleEndian(row[4..]), 0),
                _ => (entry, 0, 0),
            };
        }
    }
}
