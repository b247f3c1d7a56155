using System.Buffers.Binary;
using System.Text;
using SpecSynth.Context.Relevance;
using SpecSynth.Projects;
using SpecSynth.Specs;
using static SpecSynth.Tests.Context.RelevanceFixture;

namespace SpecSynth.Tests.Context;

/// <summary>The warm ranking's allocation-free parts give what the plain versions gave: the import resolver searching
/// sorted paths in place (or a dictionary when unsorted), stems found in place over characters and over the index's
/// bytes, references and types decoded from the index only when used, and the best-first selection of the results.</summary>
public sealed class WarmRankPartsTests
{
    private static readonly string[] Paths =
    [
        "deps/uv/include/uv.h", "deps/uv/src/uv-common.c", "lib/_http_server.js", "lib/http.js", "lib/internal/http.js",
        "lib/internal/util/index.js", "lib/net.js", "py/app/__init__.py", "py/app/main.py", "py/app/models.py",
        "src/node.h", "src/node_http_parser.cc", "test/a/common.js", "test/b/common.js", "test/c/common.js",
        "test/d/common.js", "test/e/common.js", "test/f/common.js", "tools/x/uv.h", "web/server.js", "web/store.js",
    ];

    private static readonly string[] Modules =
    [
        "./store", "../lib/http", "internal/http", "node:net", "http", "uv.h", "<uv.h", "node.h", "common", "py:.models",
        "py:app.models", "py:.", "./missing", "../../../outside", "internal/util", "x/uv.h", "", "é.js", "<<uv.h",
    ];

    [Fact]
    public void ImportResolver_SortedPathsSearchedInPlace_ResolveAsUnsortedPathsThroughTheDictionary()
    {
        var sorted = Paths.Order(StringComparer.Ordinal).ToArray();
        var shuffled = Enumerable.Reverse(sorted).ToArray();
        var inPlace = new ImportResolver(sorted);
        var dictionary = new ImportResolver(shuffled);
        var resolved = 0;
        for (var from = 0; from < sorted.Length; from++)
        {
            var fromShuffled = Array.IndexOf(shuffled, sorted[from]);
            foreach (var module in Modules)
            {
                var a = inPlace.Resolve(from, module);
                var b = dictionary.Resolve(fromShuffled, module);
                Assert.Equal(a < 0 ? null : sorted[a], b < 0 ? null : shuffled[b]);
                resolved += a >= 0 ? 1 : 0;
            }
        }
        Assert.True(resolved > 20, $"only {resolved} references resolved");
        // A bare name shared by more than MaxAmbiguous files resolves to nothing; one shared by fewer, to the shortest path.
        Assert.Equal(-1, inPlace.Resolve(Array.IndexOf(sorted, "web/server.js"), "common"));
        Assert.Equal("tools/x/uv.h", sorted[inPlace.Resolve(Array.IndexOf(sorted, "src/node.h"), "<uv.h")]);
    }

    [Theory]
    [InlineData("./store")]
    [InlineData("lib/_http_server.js")]
    [InlineData("<uv.h")]
    [InlineData("<<a/b.tar.gz")]
    [InlineData("py:.models")]
    [InlineData("py:app.sub.models")]
    [InlineData("py:")]
    [InlineData(".hidden")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("dir/é")]
    [InlineData("dir/é.js")]
    [InlineData("dir/日本語.mjs")]
    [InlineData("x/.")]
    public void StemRange_OverCharactersAndOverUtf8_IsTheStem(string module)
    {
        var stem = ImportResolver.Stem(module);

        ImportResolver.StemRange(module, out var start, out var length);
        var bytes = Encoding.UTF8.GetBytes(module);
        ImportResolver.StemRange(bytes, out var byteStart, out var byteLength);

        Assert.Equal(stem, module.Substring(start, length));
        Assert.Equal(stem, Encoding.UTF8.GetString(bytes, byteStart, byteLength));
    }

    [Fact]
    public void FileSignals_FromTheIndexsBytes_DecodeToTheSameReferencesAndTypes()
    {
        string[] imports = ["./store", "<uv.h", "py:.models", "dir/é.js"];
        ulong[] types = [1, 0xFFFF_FFFF_FFFF_FFFF, 42];
        var importBytes = new List<byte>();
        foreach (var module in imports)
        {
            var utf8 = Encoding.UTF8.GetBytes(module);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)utf8.Length);
            importBytes.AddRange(length);
            importBytes.AddRange(utf8);
        }
        var typeBytes = new byte[types.Length * 8];
        for (var t = 0; t < types.Length; t++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(typeBytes.AsSpan(t * 8), types[t]);
        }

        var lazy = new FileSignals { Terms = [], ImportBytes = importBytes.ToArray(), ImportCount = imports.Length, TypeBytes = typeBytes };
        var plain = new FileSignals { Terms = [], Imports = imports, Types = types };
        var empty = new FileSignals { Terms = [] };

        Assert.True(lazy.HasImports);
        Assert.False(lazy.IsEmpty);
        Assert.Equal(imports, lazy.Imports);
        Assert.Equal(types, lazy.TypeSpan.ToArray());
        Assert.Equal(types, lazy.Types);
        Assert.Equal(plain.TypeSpan.ToArray(), lazy.TypeSpan.ToArray());
        Assert.True(empty.IsEmpty);
        Assert.False(empty.HasImports);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task FewerResultsThanMatches_AreTheFirstOfTheFullRanking(int maxResults)
    {
        using var dir = new TempDir();
        WriteTodoProject(dir);
        var spec = SpecParser.Parse("# Todo\nAdd a `TodoStore.Remove` to the todo store and the todo endpoints; show the weather.\n", "spec.md");
        var project = await new ProjectScanner(new ProjectScanOptions { ReadContents = false }).ScanAsync(dir.Path, CancellationToken.None);

        var all = await new RelevanceRanker().RankAsync(spec, project, CancellationToken.None);
        var few = await new RelevanceRanker(new RelevanceOptions { MaxResults = maxResults }).RankAsync(spec, project, CancellationToken.None);

        Assert.True(all.Count > maxResults, Describe(all));
        Assert.Equal(all.Take(maxResults).Select(r => (r.Path, r.Score)), few.Select(r => (r.Path, r.Score)));
        for (var k = 1; k < all.Count; k++)
        {
            Assert.True(all[k - 1].Score > all[k].Score
                || (all[k - 1].Score == all[k].Score && string.CompareOrdinal(all[k - 1].Path, all[k].Path) < 0), Describe(all));
        }
    }
}
