using System.Text;
using SpecSynth.Context.Index;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context.Indexing;

/// <summary>A segment's entries are found by comparing the asked path with the stored UTF-8 bytes (no path decoded, no
/// table of paths): in the order the writer sorts them (ordinal UTF-16, which is not UTF-8 byte order past U+D7FF), from
/// any starting hint and in any order of asking.</summary>
public sealed class IndexFileLookupTests : IDisposable
{
    private static readonly string[] Awkward =
    [
        "", "a", "A", "Z", "z", "a b", "a!", "a-b", "a.c", "a/", "a/b", "ab", "abc", "b", "lib/_http_server.js",
        "lib/http.js", "é", "e\u0301", "ü/x", "\u00ff", "\u0100", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uffef", "\ufffd",
        "\U0001F600", "x\U0001F600", "x\ufffd", "x\ue000y", "日本/語.txt", "日本語", "a\u0000b",
    ];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void StoredBytes_CompareAsStringCompareOrdinal()
    {
        foreach (var stored in Awkward)
        {
            var bytes = Encoding.UTF8.GetBytes(stored);
            foreach (var asked in Awkward)
            {
                Assert.True(Math.Sign(string.CompareOrdinal(stored, asked)) == Math.Sign(IndexFile.CompareOrdinal(bytes, asked)),
                    $"'{stored}' against '{asked}'");
            }
        }
    }

    [Fact]
    public void EveryEntry_IsFound_FromAnyHint_InAnyOrder()
    {
        var paths = Awkward.Where(p => p.Length > 0).Concat(Enumerable.Range(0, 60).Select(i => $"src/m{i % 7}/f{i:D3}.js")).ToList();
        var scanner = new RecordScanner();
        var sources = new List<IndexSource>();
        for (var i = 0; i < paths.Count; i++)
        {
            var blob = scanner.Scan(Encoding.UTF8.GetBytes($"function f{i}() {{ return {i}; }}\n"), SourceKind.Other).Encode();
            sources.Add(new IndexSource(paths[i], false, Signature(i), blob, null, 0));
            if (i % 5 == 0)
            {
                // The same path known by its text as well: a second entry, after the first.
                sources.Add(new IndexSource(paths[i], true, Signature(1000 + i), blob, null, 0));
            }
        }
        sources.Sort((a, b) => a.Path != b.Path ? string.CompareOrdinal(a.Path, b.Path) : a.Content.CompareTo(b.Content));
        var path = _dir.Combine("lookup.ctxidx");
        Assert.Equal(sources.Count, IndexWriter.Write(path, "/p", 0, sources, TimeSpan.Zero, CancellationToken.None));
        using var file = IndexFile.TryOpen(path);
        Assert.NotNull(file);
        for (var e = 0; e < sources.Count; e++)
        {
            Assert.Equal(sources[e].Path, file.PathOf(e));
        }

        var random = new Random(19);
        var orders = new List<int[]>
        {
            Enumerable.Range(0, sources.Count).ToArray(),
            Enumerable.Range(0, sources.Count).Reverse().ToArray(),
            Enumerable.Range(0, sources.Count).Where(i => i % 3 != 1).ToArray(),
            Enumerable.Range(0, sources.Count).OrderBy(_ => random.Next()).ToArray(),
        };
        foreach (var order in orders)
        {
            var hint = 0;
            foreach (var e in order)
            {
                var source = sources[e];
                Assert.Equal(e, file.Find(source.Path, source.Content, source.Signature, ref hint));
                Assert.Equal(e, file.Find(source.Path, source.Content, source.Signature));
                Assert.Equal(-1, file.Find(source.Path, source.Content, source.Signature with { Size = source.Signature.Size + 1 }, ref hint));
                Assert.True(file.Has(source.Path, source.Content));
                // A path the segment does not hold, between this one and the next.
                Assert.Equal(-1, file.Find(source.Path + "\u0000", source.Content, source.Signature, ref hint));
            }
        }
        Assert.False(file.Has("src/m0/f000.jsx", false));
        Assert.False(file.Has("A", true));
        var start = sources.Count + 7;
        Assert.Equal(-1, file.Find("zzz", false, Signature(0), ref start));
    }

    private static FileSignature Signature(int i) => new(100 + i, 1_000 + i, 2_000 + i, (ulong)i + 1);
}
