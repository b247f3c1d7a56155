using System.Buffers.Binary;
using System.Text;
using SpecSynth.Context.Index;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context.Indexing;

/// <summary>The writer places a table's rows a run of keys at a time: however small the run, the segment is the same,
/// byte for byte (but for its time, its id and the head's checksum over them).</summary>
public sealed class IndexWriterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public void RowsWrittenInTurns_GiveTheSameSegment(int budget)
    {
        var scanner = new RecordScanner();
        var sources = new List<IndexSource>();
        for (var f = 0; f < 40; f++)
        {
            var text = new StringBuilder();
            for (var w = 0; w < 30 + f; w++)
            {
                text.Append("word").Append((w * 7 + f) % 53).Append(' ');
            }
            text.Append("\nfunction handler").Append(f % 5).Append("() {}\napp.get('/items/").Append(f % 3).Append("', handler);\n");
            var blob = scanner.Scan(Encoding.UTF8.GetBytes(text.ToString()), SourceKind.Other).Encode();
            sources.Add(new IndexSource($"src/f{f:D3}.js", false, new FileSignature(text.Length, 1, 1, (ulong)f + 1), blob, null, 0));
        }
        var whole = _dir.Combine("whole.ctxidx");
        var turns = _dir.Combine("turns.ctxidx");
        Assert.Equal(40, IndexWriter.Write(whole, "/p", 0, sources, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(40, IndexWriter.Write(turns, "/p", 0, sources, TimeSpan.Zero, CancellationToken.None, budget));
        Assert.Equal(Comparable(whole), Comparable(turns));

        // Entries copied from a segment (as a compaction does) are placed the same way.
        using var from = IndexFile.TryOpen(whole);
        Assert.NotNull(from);
        var rows = 0;
        from.ScanTable(IndexFile.TermTable, (_, _, _, _) => rows++, CancellationToken.None);
        Assert.True(rows > budget);
        var copied = sources.Select((s, i) => s with { Blob = i % 2 == 0 ? s.Blob : null, From = i % 2 == 0 ? null : from, Old = i }).ToList();
        var copyWhole = _dir.Combine("copy-whole.ctxidx");
        var copyTurns = _dir.Combine("copy-turns.ctxidx");
        IndexWriter.Write(copyWhole, "/p", 0, copied, TimeSpan.Zero, CancellationToken.None);
        IndexWriter.Write(copyTurns, "/p", 0, copied, TimeSpan.Zero, CancellationToken.None, budget);
        Assert.Equal(Comparable(copyWhole), Comparable(copyTurns));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(RowSpill.DefaultBufferRows)]
    public void RowsFromASpill_GiveTheSameSegmentAsFullRecords(int bufferRows)
    {
        var scanner = new RecordScanner();
        var sources = new List<IndexSource>();
        var spilled = new List<IndexSource>();
        using var spills = new Spills(_dir.Combine("spill"), bufferRows);
        var buffers = spills.All.Select(s => s.Rent()).ToArray();
        var other = spills.All.Select(s => s.Rent()).ToArray();
        for (var f = 0; f < 60; f++)
        {
            var text = new StringBuilder();
            for (var w = 0; w < 20 + f; w++)
            {
                text.Append("word").Append((w * 11 + f) % 71).Append(' ').Append(w % 3 == 0 ? "camelCaseName " : "");
            }
            text.Append("\nfunction handler").Append(f % 7).Append("() {}\napp.get('/items/").Append(f % 4).Append("', handler);\n");
            var blob = scanner.ScanInto(Encoding.UTF8.GetBytes(text.ToString()), SourceKind.Other, out var storable).ToArray();
            Assert.True(storable);
            // A file changed "now" (in the future here) is left out by the racy rule, whichever way its rows travel.
            var signature = new FileSignature(text.Length, f % 13 == 5 ? long.MaxValue / 2 : 1, 1, (ulong)f + 1);
            var id = 1000 - f; // ids need not follow the paths
            sources.Add(new IndexSource($"src/f{f:D3}.js", false, signature, blob, null, 0));
            spilled.Add(new IndexSource($"src/f{f:D3}.js", false, signature, FileRecord.HeadOnly(new RecordView(blob)), null, 0, id));
            // Two workers' buffers, interleaved, as a parallel scan fills them.
            var rows = f % 3 == 0 ? other : buffers;
            var view = new RecordView(blob);
            for (var k = 0; k < view.TermHashes.Length; k++)
            {
                rows[IndexFile.TermTable].Add(view.TermHashes[k], id, view.TermCounts[k], k);
            }
            for (var k = 0; k < view.Declared.Length; k++)
            {
                rows[IndexFile.DeclaredTable].Add(view.Declared[k], id, view.DeclaredCounts[k], 0);
            }
            foreach (var key in view.Routes)
            {
                rows[IndexFile.RouteTable].Add(key, id, 0, 0);
            }
        }
        for (var t = 0; t < IndexFile.Tables; t++)
        {
            spills.All[t].Return(buffers[t]);
            spills.All[t].Return(other[t]);
            spills.All[t].Finish();
        }
        Assert.Equal(bufferRows < 100, spills.All[IndexFile.TermTable].Spilled);

        var full = _dir.Combine("full.ctxidx");
        var fromSpill = _dir.Combine("spilled.ctxidx");
        var racy = TimeSpan.FromSeconds(2);
        Assert.Equal(55, IndexWriter.Write(full, "/p", 0, sources, racy, CancellationToken.None));
        Assert.Equal(55, IndexWriter.Write(fromSpill, "/p", 0, spilled, racy, CancellationToken.None, spills: spills.All));
        Assert.Equal(Comparable(full), Comparable(fromSpill));
        Assert.True(!Directory.Exists(_dir.Combine("spill")) || Directory.GetFiles(_dir.Combine("spill")).Length == 0);
        Assert.Empty(Directory.GetFiles(_dir.Combine(""), "*.tmp"));
    }

    [Fact]
    public void ASpillPastItsRowLimit_Fails_AndKeepsNothing()
    {
        using var spill = new RowSpill(_dir.Combine("spill"), maxRows: 10, bufferRows: 4);
        var buffer = spill.Rent();
        for (var r = 0; r < 12; r++)
        {
            buffer.Add((ulong)r << 60, r, 1, 0);
        }
        spill.Return(buffer);
        spill.Finish();
        Assert.True(spill.Failed);
        var rows = Array.Empty<RowSpill.Row>();
        Assert.Equal(0, spill.Read(0, ref rows));
        Assert.Throws<ArgumentException>(() => IndexWriter.Write(_dir.Combine("x.ctxidx"), "/p", 0, [], TimeSpan.Zero, CancellationToken.None,
            spills: [spill, spill, spill]));
    }

    private sealed class Spills(string folder, int bufferRows) : IDisposable
    {
        public RowSpill[] All { get; } = [.. Enumerable.Range(0, IndexFile.Tables).Select(_ => new RowSpill(folder, long.MaxValue, bufferRows))];

        public void Dispose()
        {
            foreach (var spill in All)
            {
                spill.Dispose();
            }
        }
    }

    /// <summary>The segment's bytes with its time, id and head checksum cleared.</summary>
    private static byte[] Comparable(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32));
        bytes.AsSpan(8, 16).Clear();
        bytes.AsSpan(headLength - 8, 8).Clear();
        return bytes;
    }
}
