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
