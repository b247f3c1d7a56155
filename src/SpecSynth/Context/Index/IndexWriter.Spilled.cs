using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SpecSynth.Context.Index;

internal static partial class IndexWriter
{
    /// <summary>
    /// One table's rows from a <see cref="RowSpill"/>, written straight into the segment: partition after partition (key
    /// order), its rows are read, their sources mapped to entries (rows of sources left out are dropped), grouped by key
    /// (counted, distinct keys sorted, rows placed; within a key by entry, as <see cref="Table"/> places them) and written in
    /// their on-disk width, while the sorted keys and their row counts are kept; then the directory and the dictionary.
    /// Only one partition's rows are in memory.
    /// </summary>
    private static class SpilledTable
    {
        /// <summary>Writes table <paramref name="table"/>'s rows of <paramref name="spill"/>, then its directory and
        /// dictionary: source <c>s</c> becomes entry <c>entryOf[s]</c> (a row of a source mapped to -1 is dropped).
        /// Returns the table's bits, keys and rows.</summary>
        public static (int Bits, int Keys, int Rows) Write(int table, RowSpill spill, int[] entryOf, PagedWriter pages, CancellationToken ct)
        {
            var keys = new List<ulong>();
            var counts = new List<int>();
            var counter = new TermCounter();
            var read = Array.Empty<RowSpill.Row>();
            var placed = Array.Empty<Row>();
            var cursor = Array.Empty<int>();
            var entries = Array.Empty<int>();
            Span<byte> entry = stackalloc byte[16];
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
                WriteRows(pages, table, placed.AsSpan(0, m), entry);
                rowCount = checked(rowCount + m);
            }
            var sortedKeys = CollectionsMarshal.AsSpan(keys);
            var directory = BucketDirectory(sortedKeys, out var bits);
            WriteDictionary(pages, directory, sortedKeys, CollectionsMarshal.AsSpan(counts), entry);
            return (bits, keys.Count, rowCount);
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
    }
}
