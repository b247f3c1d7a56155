using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SpecSynth.Context.Index;

internal static partial class IndexWriter
{
    /// <summary>
    /// One table's rows from a <see cref="RowSpill"/>: partition after partition (key order), its rows are read, their
    /// sources mapped to entries (rows of sources left out are dropped), grouped by key (counted, distinct keys sorted,
    /// rows placed; within a key by entry, as <see cref="Table"/> places them) and written in their on-disk width to a
    /// temporary file, while the sorted keys and their row counts are kept. Then the directory and the dictionary are
    /// known, and <see cref="WriteTo"/> writes them and copies the rows. Only one partition's rows are in memory.
    /// </summary>
    private sealed class SpilledTable : ITableWriter, IDisposable
    {
        private readonly int _table;
        private readonly FileStream _rows;
        private readonly ulong[] _keys;
        private readonly int[] _counts;
        private readonly int[] _directory;
        private readonly long _rowBytes;

        private SpilledTable(int table, FileStream rows, long rowBytes, ulong[] keys, int[] counts, int rowCount)
        {
            _table = table;
            _rows = rows;
            _rowBytes = rowBytes;
            _keys = keys;
            _counts = counts;
            RowCount = rowCount;
            _directory = BucketDirectory(keys, out var bits);
            Bits = bits;
        }

        public int Bits { get; }

        public int KeyCount => _keys.Length;

        public int RowCount { get; }

        /// <summary>Groups table <paramref name="table"/>'s rows of <paramref name="spill"/>: source <c>s</c> becomes entry
        /// <c>entryOf[s]</c> (a row of a source mapped to -1 is dropped).</summary>
        public static SpilledTable Build(int table, RowSpill spill, int[] entryOf, string folder, CancellationToken ct)
        {
            var file = RowSpill.CreateTemp(folder);
            try
            {
                var sink = new FileSink(file);
                var keys = new List<ulong>();
                var counts = new List<int>();
                var counter = new TermCounter();
                var read = Array.Empty<RowSpill.Row>();
                var placed = Array.Empty<Row>();
                var cursor = Array.Empty<int>();
                var entries = Array.Empty<int>();
                Span<byte> entry = stackalloc byte[12];
                var rowCount = 0;
                for (var p = 0; p < RowSpill.Partitions; p++)
                {
                    ct.ThrowIfCancellationRequested();
                    var n = spill.Read(p, ref read);
                    var m = 0;
                    for (var r = 0; r < n; r++)
                    {
                        var e = (uint)read[r].Id < (uint)entryOf.Length ? entryOf[read[r].Id] : -1;
                        if (e >= 0)
                        {
                            read[m] = read[r];
                            read[m].Id = e;
                            m++;
                        }
                    }
                    if (m == 0)
                    {
                        continue;
                    }
                    counter.Clear();
                    for (var r = 0; r < m; r++)
                    {
                        counter.Add(read[r].Key);
                    }
                    var distinct = counter.Count;
                    var sorted = counter.Hashes();
                    var order = new int[distinct];
                    for (var k = 0; k < distinct; k++)
                    {
                        order[k] = k;
                    }
                    Array.Sort(sorted, order);
                    if (cursor.Length < distinct)
                    {
                        cursor = new int[Math.Max(distinct, cursor.Length * 2)];
                    }
                    var firstCounts = counter.CountSpan;
                    var start = 0;
                    for (var j = 0; j < distinct; j++)
                    {
                        var k = order[j];
                        cursor[k] = start;
                        keys.Add(sorted[j]);
                        counts.Add(firstCounts[k]);
                        start += firstCounts[k];
                    }
                    if (placed.Length < m)
                    {
                        placed = new Row[Math.Max(m, placed.Length * 2)];
                    }
                    for (var r = 0; r < m; r++)
                    {
                        ref readonly var row = ref read[r];
                        placed[cursor[counter.IndexOf(row.Key)]++] = new Row(row.Id, row.Count, row.Rank);
                    }
                    // Within a key, by entry (a key's rows came from several workers' buffers).
                    var at = 0;
                    for (var j = 0; j < distinct; j++)
                    {
                        var count = firstCounts[order[j]];
                        var group = placed.AsSpan(at, count);
                        if (!ByEntry(group))
                        {
                            // A key's entries are distinct: sorting by them alone (primitive keys, no comparison
                            // delegate) gives the one order.
                            if (entries.Length < count)
                            {
                                entries = new int[Math.Max(count, entries.Length * 2)];
                            }
                            var byEntry = entries.AsSpan(0, count);
                            for (var r = 0; r < count; r++)
                            {
                                byEntry[r] = group[r].Entry;
                            }
                            byEntry.Sort(group);
                        }
                        at += count;
                    }
                    WriteRows(sink, table, placed.AsSpan(0, m), entry);
                    rowCount = checked(rowCount + m);
                }
                sink.Flush();
                return new SpilledTable(table, file, sink.Written, [.. keys], [.. counts], rowCount);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        private static bool ByEntry(ReadOnlySpan<Row> rows)
        {
            for (var r = 1; r < rows.Length; r++)
            {
                if (rows[r - 1].Entry > rows[r].Entry)
                {
                    return false;
                }
            }
            return true;
        }

        public void WriteTo(PagedWriter pages, CancellationToken ct)
        {
            Span<byte> entry = stackalloc byte[16];
            WriteDictionary(pages, _directory, _keys, _counts, entry);
            var buffer = new byte[1 << 18];
            long offset = 0;
            while (offset < _rowBytes)
            {
                ct.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length, _rowBytes - offset);
                var read = RandomAccess.Read(_rows.SafeFileHandle, buffer.AsSpan(0, want), offset);
                if (read <= 0)
                {
                    throw new IOException("The rows file is shorter than written.");
                }
                pages.Write(buffer.AsSpan(0, read));
                offset += read;
            }
        }

        public void Dispose() => _rows.Dispose();
    }

    /// <summary>Appends to a temporary file through a buffer, by offset.</summary>
    private sealed class FileSink(FileStream file) : IByteSink
    {
        private readonly byte[] _buffer = new byte[1 << 18];
        private int _filled;

        public long Written { get; private set; }

        public void Write(ReadOnlySpan<byte> data)
        {
            if (_filled + data.Length > _buffer.Length)
            {
                Flush();
                if (data.Length > _buffer.Length)
                {
                    RandomAccess.Write(file.SafeFileHandle, data, Written);
                    Written += data.Length;
                    return;
                }
            }
            data.CopyTo(_buffer.AsSpan(_filled));
            _filled += data.Length;
        }

        public void Flush()
        {
            if (_filled > 0)
            {
                RandomAccess.Write(file.SafeFileHandle, _buffer.AsSpan(0, _filled), Written);
                Written += _filled;
                _filled = 0;
            }
        }
    }
}
