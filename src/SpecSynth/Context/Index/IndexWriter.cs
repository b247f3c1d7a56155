using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace SpecSynth.Context.Index;

/// <summary>
/// Writes an <see cref="IndexFile"/> segment from fresh records and entries of older segments in one pass: room for the
/// head with every file, then each table's rows grouped by key (counted into hash buckets, then sorted by key within each
/// bucket — no sort of the whole table) and its dictionary, the body written page by page with a checksum per page, the
/// page checksums after it, and the head, checksummed with them, last. Written to a temporary file (owner-only) and
/// renamed over the old one: a reader sees the old segment or the whole new one.
/// </summary>
internal static partial class IndexWriter
{
    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>Writes a segment of <paramref name="sources"/> for the project <paramref name="root"/> at
    /// <paramref name="path"/> (atomically), leaving out the records of files changed less than <paramref name="racy"/>
    /// before now (by the file system's clock): they may change again without a new signature.</summary>
    /// <param name="path">Where.</param>
    /// <param name="root">The project's real path.</param>
    /// <param name="baseId">0 for a base segment; the base's <see cref="IndexFile.Id"/> for a delta.</param>
    /// <param name="sources">The entries, in path order.</param>
    /// <param name="racy">The racy window.</param>
    /// <param name="ct">Cancels the write (the old segment stays).</param>
    /// <param name="rowBudget">The most rows of a table placed in memory at once (<see cref="RowBudget"/>; smaller in
    /// tests, to write in many turns). The file is the same whatever it is.</param>
    /// <param name="spills">When given, one per table: the rows of every source (by <see cref="IndexSource.Id"/>), whose
    /// blobs then give only what the head keeps (all sources must be fresh). The file is the same as from full blobs.</param>
    /// <returns>The number of entries written.</returns>
    public static int Write(string path, string root, ulong baseId, IReadOnlyList<IndexSource> sources, TimeSpan racy, CancellationToken ct,
        int rowBudget = RowBudget, IReadOnlyList<RowSpill>? spills = null)
    {
        if (spills is not null && (spills.Count != IndexFile.Tables || spills.Any(s => s.Failed) || sources.Any(s => s.From is not null || s.Id < 0)))
        {
            throw new ArgumentException("One usable spill per table, and only fresh sources with ids.", nameof(spills));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBudget, 1);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            int written;
            // Owner-only, like the keys file: hashes of every word of the project are not for other users to test guesses against.
            using (var stream = new FileStream(temp, CreateOptions))
            {
                // The new file's own time is "now" by the file system's clock, the clock the files' times come from.
                var now = FileSignature.Of(temp)?.ModifiedNs ?? 0;
                var kept = sources.Where(e => e.Content || Settled(e.Signature, now, racy)).ToList();
                written = kept.Count;
                var head = Head(root, kept);
                var maps = new Dictionary<IndexFile, int[]>();
                for (var i = 0; i < kept.Count; i++)
                {
                    if (kept[i].From is { } from)
                    {
                        if (!maps.TryGetValue(from, out var map))
                        {
                            maps[from] = map = new int[from.Entries.Count];
                            Array.Fill(map, -1);
                        }
                        map[kept[i].Old] = i;
                    }
                }
                int[]? entryOf = null;
                if (spills is not null)
                {
                    entryOf = new int[sources.Count == 0 ? 0 : sources.Max(s => s.Id) + 1];
                    Array.Fill(entryOf, -1);
                    for (var i = 0; i < kept.Count; i++)
                    {
                        entryOf[kept[i].Id] = i;
                    }
                }
                // The head's length is known from the entries alone: the body goes straight after it, table after table
                // (each its rows, then its directory and dictionary, so a table is written as its keys are grouped), the
                // page checksums after the body, and the head, checksummed with them, last.
                var headLength = head.WrittenCount + 8;
                stream.Position = headLength;
                var pages = new PagedWriter(stream);
                var tables = new IndexFile.TableInfo[IndexFile.Tables];
                for (var t = 0; t < IndexFile.Tables; t++)
                {
                    ct.ThrowIfCancellationRequested();
                    var offset = pages.Written;
                    var (bits, keys, rows) = spills is null
                        ? Table.Count(t, kept, maps, rowBudget, ct).WriteTo(pages, ct)
                        : SpilledTable.Write(t, spills[t], entryOf!, pages, ct);
                    tables[t] = new IndexFile.TableInfo(bits, keys, rows, offset, IndexFile.RowWidths[t]);
                    if (tables[t].End != pages.Written)
                    {
                        throw new InvalidOperationException("Index table length mismatch.");
                    }
                }
                pages.Finish();
                var bodyLength = pages.Written;
                var pageCount = pages.Checksums.Count;
                var checksums = new byte[pageCount * 8];
                for (var p = 0; p < pageCount; p++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(checksums.AsSpan(p * 8), pages.Checksums[p]);
                }
                stream.Write(checksums);
                var bytes = new byte[headLength];
                head.WrittenSpan.CopyTo(bytes);
                var span = bytes.AsSpan();
                BinaryPrimitives.WriteUInt32LittleEndian(span, IndexFile.Magic);
                BinaryPrimitives.WriteInt32LittleEndian(span[4..], IndexFile.Version);
                BinaryPrimitives.WriteInt64LittleEndian(span[8..], now);
                BinaryPrimitives.WriteUInt64LittleEndian(span[16..], NewId());
                BinaryPrimitives.WriteUInt64LittleEndian(span[24..], baseId);
                BinaryPrimitives.WriteInt32LittleEndian(span[32..], headLength);
                BinaryPrimitives.WriteInt32LittleEndian(span[36..], kept.Count);
                BinaryPrimitives.WriteInt32LittleEndian(span[40..], pageCount);
                BinaryPrimitives.WriteInt64LittleEndian(span[44..], bodyLength);
                for (var t = 0; t < IndexFile.Tables; t++)
                {
                    var row = span.Slice(52 + (t * 20), 20);
                    BinaryPrimitives.WriteInt32LittleEndian(row, tables[t].Bits);
                    BinaryPrimitives.WriteInt32LittleEndian(row[4..], tables[t].Keys);
                    BinaryPrimitives.WriteInt32LittleEndian(row[8..], tables[t].Rows);
                    BinaryPrimitives.WriteInt64LittleEndian(row[12..], tables[t].Offset);
                }
                BinaryPrimitives.WriteUInt64LittleEndian(span[(headLength - 8)..], IndexFile.HeadChecksum(span[..(headLength - 8)], checksums));
                stream.Position = 0;
                stream.Write(bytes);
            }
            File.Move(temp, path, overwrite: true);
            return written;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Whether a file known by <paramref name="signature"/> last changed before the racy window that ends at
    /// <paramref name="now"/> (the file system's clock, <see cref="FileSystemNow"/>): only then is its record written.</summary>
    public static bool Settled(FileSignature signature, long now, TimeSpan racy) => signature.LatestNs < now - (racy.Ticks * 100);

    /// <summary>"Now" by the file system's clock in <paramref name="folder"/> (the clock the files' times come from): the
    /// modification time of a new empty file, deleted again; 0 when none can be made there.</summary>
    public static long FileSystemNow(string folder)
    {
        var probe = Path.Combine(folder, $"now.{Environment.ProcessId}.{Interlocked.Increment(ref _probes)}.tmp");
        try
        {
            new FileStream(probe, CreateOptions).Dispose();
            return FileSignature.Of(probe)?.ModifiedNs ?? 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static long _probes;

    private static ulong NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var id = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return id == 0 ? 1 : id;
    }

    /// <summary>The head up to the page checksums: room for the fixed part, the root, every entry.</summary>
    private static ArrayBufferWriter<byte> Head(string root, List<IndexSource> kept)
    {
        var head = new ArrayBufferWriter<byte>(HeadCapacity(root, kept));
        head.GetSpan(IndexFile.FixedHead)[..IndexFile.FixedHead].Clear();
        head.Advance(IndexFile.FixedHead);
        WriteString(head, root);
        foreach (var entry in kept)
        {
            WriteString(head, entry.Path);
            int words;
            byte flags;
            ReadOnlySpan<byte> types;
            ReadOnlySpan<byte> imports;
            int importCount;
            if (entry.Blob is { } blob)
            {
                var view = new RecordView(blob);
                words = view.Words;
                flags = blob[4];
                types = MemoryMarshal.AsBytes(view.Types);
                importCount = view.ImportCount;
                imports = view.ImportBytes;
            }
            else
            {
                var old = entry.From!.Entries[entry.Old];
                words = old.Words;
                flags = old.Flags;
                types = entry.From.TypeBytes(entry.Old);
                importCount = old.ImportCount;
                imports = entry.From.ImportBytes(entry.Old);
            }
            var row = head.GetSpan(46);
            row[0] = entry.Content ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(row[1..], entry.Signature.Size);
            BinaryPrimitives.WriteInt64LittleEndian(row[9..], entry.Signature.ModifiedNs);
            BinaryPrimitives.WriteInt64LittleEndian(row[17..], entry.Signature.ChangedNs);
            BinaryPrimitives.WriteUInt64LittleEndian(row[25..], entry.Signature.Inode);
            BinaryPrimitives.WriteInt32LittleEndian(row[33..], words);
            row[37] = flags;
            BinaryPrimitives.WriteInt32LittleEndian(row[38..], types.Length / 8);
            BinaryPrimitives.WriteInt32LittleEndian(row[42..], importCount);
            head.Advance(46);
            head.Write(types);
            head.Write(imports);
        }
        return head;
    }

    /// <summary>The head buffer's first size: about what the entries' paths and rows take (the buffer grows past it), at
    /// most 1 MiB. A project of a few files needs a few hundred bytes, not a 1 MiB large-object array; a many-spec run saves
    /// a small project's index several times while its first plans race (each was 1 MiB of large-object garbage that
    /// only a gen2 collection frees).</summary>
    private static int HeadCapacity(string root, List<IndexSource> kept)
    {
        long estimate = IndexFile.FixedHead + 2 + root.Length + 256;
        foreach (var entry in kept)
        {
            estimate += 2 + entry.Path.Length + 46 + 16;
        }
        return (int)Math.Min(estimate, 1 << 20);
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > ushort.MaxValue)
        {
            throw new InvalidDataException("Path too long for the index.");
        }
        var span = writer.GetSpan(2 + bytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)bytes.Length);
        bytes.CopyTo(span[2..]);
        writer.Advance(2 + bytes.Length);
    }

    /// <summary>The most rows placed in memory at once: a table with more is placed and written in turns, each a run of
    /// whole keys (one pass over the sources per turn), so the rows of a large project are never all held.</summary>
    internal const int RowBudget = 1 << 20;

    /// <summary>The most passes over the sources per table: a table of more than <see cref="RowBudget"/> times this
    /// many rows is placed in larger runs (each pass reads every record, so passes cost more than the rows save).</summary>
    internal const int MaxTurns = 8;

    /// <summary>The bucket directory of <paramref name="sorted"/> keys: the first key of each of <c>2^bits</c> buckets (by
    /// the key's top bits; <paramref name="bits"/> grows with the number of keys, at most 24), and the key count last.</summary>
    private static int[] BucketDirectory(ReadOnlySpan<ulong> sorted, out int bits)
    {
        var distinct = sorted.Length;
        bits = 0;
        while (bits < 24 && (1L << bits) * 2 < distinct)
        {
            bits++;
        }
        var directory = new int[(1 << bits) + 1];
        var at = 0;
        for (var b = 0; b < (1 << bits); b++)
        {
            directory[b] = at;
            while (at < distinct && Bucket(sorted[at], bits) == b)
            {
                at++;
            }
        }
        directory[1 << bits] = distinct;
        return directory;
    }

    private static int Bucket(ulong key, int bits) => bits == 0 ? 0 : (int)(key >> (64 - bits));

    /// <summary>One table's keys counted and sorted, ready to place and write its rows.</summary>
    private sealed class Table
    {
        private List<IndexSource> _kept = [];
        private Dictionary<IndexFile, int[]> _maps = [];
        private int _budget;
        private TermCounter _counter = null!;
        private ulong[] _keys = [];
        private int[] _counts = [];
        private int[] _cursor = [];
        private int[] _directory = [];
        private int _table;

        public int Bits { get; private init; }

        public int KeyCount { get; private init; }

        public int RowCount { get; private init; }

        /// <summary>Counts the rows of table <paramref name="table"/> of the kept entries per key and sorts the distinct
        /// keys: where each key's rows go is known, no row is placed yet.</summary>
        public static Table Count(int table, List<IndexSource> kept, Dictionary<IndexFile, int[]> maps, int budget, CancellationToken ct)
        {
            var counter = new TermCounter();
            Visit(table, kept, maps, (key, _, _, _) => counter.Add(key), ct);
            var distinct = counter.Count;
            var sorted = counter.Hashes();
            var counts = counter.Counts();
            var order = new int[distinct];
            for (var k = 0; k < distinct; k++)
            {
                order[k] = k;
            }
            Array.Sort(sorted, order);
            var cursor = new int[distinct];
            var total = 0;
            var rowCounts = new int[distinct];
            for (var j = 0; j < distinct; j++)
            {
                var k = order[j];
                cursor[k] = total;
                rowCounts[j] = counts[k];
                total += counts[k];
            }
            var directory = BucketDirectory(sorted, out var bits);
            return new Table
            {
                Bits = bits,
                KeyCount = distinct,
                RowCount = total,
                _table = table,
                _counter = counter,
                _keys = sorted,
                _counts = rowCounts,
                _cursor = cursor,
                _directory = directory,
                _kept = kept,
                _maps = maps,
                _budget = budget,
            };
        }

        /// <summary>Every row of the table from the kept entries: their fresh records and, one scan per source segment,
        /// the rows of their old entries.</summary>
        private static void Visit(int table, List<IndexSource> kept, Dictionary<IndexFile, int[]> maps, IndexFile.RowVisitor visit, CancellationToken ct)
        {
            for (var i = 0; i < kept.Count; i++)
            {
                if (kept[i].Blob is not { } blob)
                {
                    continue;
                }
                var view = new RecordView(blob);
                switch (table)
                {
                    case IndexFile.TermTable:
                        var hashes = view.TermHashes;
                        var counts = view.TermCounts;
                        for (var k = 0; k < hashes.Length; k++)
                        {
                            visit(hashes[k], i, counts[k], k);
                        }
                        break;
                    case IndexFile.DeclaredTable:
                        var declared = view.Declared;
                        var declaredCounts = view.DeclaredCounts;
                        for (var k = 0; k < declared.Length; k++)
                        {
                            visit(declared[k], i, declaredCounts[k], 0);
                        }
                        break;
                    default:
                        foreach (var key in view.Routes)
                        {
                            visit(key, i, 0, 0);
                        }
                        break;
                }
            }
            foreach (var (from, map) in maps)
            {
                from.ScanTable(table, (key, entry, count, rank) =>
                {
                    if (map[entry] is var i and >= 0)
                    {
                        visit(key, i, count, rank);
                    }
                }, ct);
            }
        }

        /// <summary>Writes the rows, placing the rows of a run of keys at a time (at most the row budget or an eighth of
        /// the table, or one key's) in one buffer, a pass over the sources per run; then the directory and the dictionary.
        /// Returns the table's bits, keys and rows.</summary>
        public (int Bits, int Keys, int Rows) WriteTo(PagedWriter pages, CancellationToken ct)
        {
            Span<byte> entry = stackalloc byte[16];
            if (RowCount > 0)
            {
                WriteRows(pages, entry, ct);
            }
            WriteDictionary(pages, _directory, _keys, _counts, entry);
            return (Bits, KeyCount, RowCount);
        }

        private void WriteRows(PagedWriter pages, Span<byte> entry, CancellationToken ct)
        {
            var kept = _kept;
            var maps = _maps;
            var budget = _budget;
            var largest = 0;
            foreach (var count in _counts)
            {
                largest = Math.Max(largest, count);
            }
            var rows = GC.AllocateUninitializedArray<Row>(Math.Min(RowCount, Math.Max(Math.Max(budget, (RowCount + MaxTurns - 1) / MaxTurns), largest)));
            var counter = _counter;
            var cursor = _cursor;
            var keys = _keys;
            var lo = 0;
            var placedBefore = 0;
            while (lo < keys.Length)
            {
                ct.ThrowIfCancellationRequested();
                var hi = lo;
                var inTurn = 0;
                while (hi < keys.Length && (hi == lo || inTurn + _counts[hi] <= rows.Length))
                {
                    inTurn += _counts[hi];
                    hi++;
                }
                var first = keys[lo];
                var whole = lo == 0 && hi == keys.Length;
                var end = hi < keys.Length ? keys[hi] : 0;
                var last = hi == keys.Length;
                var chunkBase = placedBefore;
                if (whole)
                {
                    Visit(_table, kept, maps, (key, e, count, rank) => rows[cursor[counter.IndexOf(key)]++] = new Row(e, count, rank), ct);
                }
                else
                {
                    // A run of keys: the fresh records' keys outside it are skipped in a plain loop (many runs, many passes).
                    for (var i = 0; i < kept.Count; i++)
                    {
                        if (kept[i].Blob is not { } blob)
                        {
                            continue;
                        }
                        var view = new RecordView(blob);
                        var terms = _table == IndexFile.TermTable;
                        var hashes = _table switch
                        {
                            IndexFile.TermTable => view.TermHashes,
                            IndexFile.DeclaredTable => view.Declared,
                            _ => view.Routes,
                        };
                        var counts = _table switch
                        {
                            IndexFile.TermTable => view.TermCounts,
                            IndexFile.DeclaredTable => view.DeclaredCounts,
                            _ => default,
                        };
                        for (var k = 0; k < hashes.Length; k++)
                        {
                            var key = hashes[k];
                            if (key >= first && (last || key < end))
                            {
                                rows[cursor[counter.IndexOf(key)]++ - chunkBase] = terms ? new Row(i, counts[k], k)
                                    : new Row(i, counts.IsEmpty ? 0 : counts[k], 0);
                            }
                        }
                    }
                    foreach (var (from, map) in maps)
                    {
                        from.ScanTable(_table, (key, e, count, rank) =>
                        {
                            if (map[e] is var i and >= 0 && key >= first && (last || key < end))
                            {
                                rows[cursor[counter.IndexOf(key)]++ - chunkBase] = new Row(i, count, rank);
                            }
                        }, ct);
                    }
                }
                IndexWriter.WriteRows(pages, _table, rows.AsSpan(0, inTurn), entry);
                placedBefore += inTurn;
                lo = hi;
            }
        }
    }

    /// <summary>Writes a table's bucket directory and its dictionary (per key: the key, its first row, its row count).</summary>
    private static void WriteDictionary(PagedWriter pages, ReadOnlySpan<int> directory, ReadOnlySpan<ulong> keys, ReadOnlySpan<int> counts,
        Span<byte> entry)
    {
        foreach (var at in directory)
        {
            BinaryPrimitives.WriteInt32LittleEndian(entry, at);
            pages.Write(entry[..4]);
        }
        var start = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(entry, keys[k]);
            BinaryPrimitives.WriteInt32LittleEndian(entry[8..], start);
            BinaryPrimitives.WriteInt32LittleEndian(entry[12..], counts[k]);
            pages.Write(entry);
            start += counts[k];
        }
    }

    /// <summary>Writes <paramref name="rows"/> of table <paramref name="table"/> in their on-disk width.</summary>
    private static void WriteRows(PagedWriter pages, int table, ReadOnlySpan<Row> rows, Span<byte> entry)
    {
        var width = IndexFile.RowWidths[table];
        if (width == 12 && BitConverter.IsLittleEndian)
        {
            pages.Write(MemoryMarshal.AsBytes(rows));
            return;
        }
        foreach (var row in rows)
        {
            BinaryPrimitives.WriteInt32LittleEndian(entry, row.Entry);
            BinaryPrimitives.WriteInt32LittleEndian(entry[4..], row.Count);
            BinaryPrimitives.WriteInt32LittleEndian(entry[8..], row.Rank);
            pages.Write(entry[..width]);
        }
    }

    private readonly record struct Row(int Entry, int Count, int Rank);

    /// <summary>Writes the body through a page buffer, taking each page's checksum.</summary>
    private sealed class PagedWriter(Stream stream)
    {
        private readonly byte[] _page = new byte[IndexFile.PageSize];
        private int _filled;

        public List<ulong> Checksums { get; } = [];

        /// <summary>Bytes written so far (the last of them maybe still in the page buffer).</summary>
        public long Written { get; private set; }

        public void Write(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                var take = Math.Min(data.Length, _page.Length - _filled);
                data[..take].CopyTo(_page.AsSpan(_filled));
                _filled += take;
                Written += take;
                data = data[take..];
                if (_filled == _page.Length)
                {
                    Flush();
                }
            }
        }

        public void Finish()
        {
            if (_filled > 0)
            {
                Flush();
            }
        }

        private void Flush()
        {
            Checksums.Add(IndexChecksum.Of(_page.AsSpan(0, _filled)));
            stream.Write(_page, 0, _filled);
            _filled = 0;
        }
    }
}
