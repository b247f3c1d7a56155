using System.Text;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Context.Index;
using static SpecSynth.Tests.Context.Indexing.IndexTree;

namespace SpecSynth.Tests.Context.Indexing;

/// <summary>The persistent context index is a cache: with it, cold or warm, after edits, corrupted or shared between
/// rankings running at once, the ranking (files, exact scores, reasons) is the one the full scan gives.</summary>
public sealed class ContextIndexTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ContextIndexTests()
    {
        Write(Project);
    }

    private string Project => _dir.Combine("project");

    private string State => _dir.Combine("state");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ColdAndWarm_RankExactlyAsTheScan_ForEverySpec(bool readContents)
    {
        await SettleAsync();
        var index = NewIndex(State);
        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            var expected = await RankAsync(Project, spec, null, readContents);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await RankAsync(Project, spec, index, readContents));
            var first = index.Last!;
            Assert.Equal(expected, await RankAsync(Project, spec, index, readContents));
            var warm = index.Last!;

            Assert.True(warm.Loaded);
            Assert.Equal(0, warm.Scanned);
            Assert.Equal(0, warm.Written);
            Assert.True(warm.Reused > 200, $"reused {warm.Reused}");
            if (spec == 0)
            {
                Assert.False(first.Loaded);
                Assert.True(first.Written > 200);
            }
        }
    }

    [Fact]
    public async Task RecordsThatCannotTell_AreScannedAgain_RoutesAndCrowdedIdentifiers()
    {
        await SettleAsync();
        var index = NewIndex(State);
        var expected = await RankAsync(Project, 0, null);
        await RankAsync(Project, 0, index);

        Assert.Equal(expected, await RankAsync(Project, 0, index));
        // lib/crowded.js uses maxHeaderSize 300 times before declaring it; routes.js and the handlers have route literals.
        Assert.True(index.Last!.Rescanned >= 2, $"rescanned {index.Last!.Rescanned}");
        // The scan stops checking for declarations after 256 uses: crowded.js's late declaration is not seen, with the index neither.
        Assert.DoesNotContain(expected.Split('\n'), l => l.StartsWith("lib/crowded.js\t", StringComparison.Ordinal)
            && l.Contains("defines maxHeaderSize", StringComparison.Ordinal));
        Assert.Contains(expected.Split('\n'), l => l.StartsWith("lib/http_server.js\t", StringComparison.Ordinal)
            && l.Contains("route GET /todos/{id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CrowdedIdentifiersDeclaredEarly_AreAnsweredByTheIndex_WithoutAScan()
    {
        await SettleAsync();
        var index = NewIndex(State);
        await RankAsync(Project, 0, index);
        await RankAsync(Project, 0, index);
        var before = index.Last!.Rescanned;
        // maxHeaderSize declared first, then used 300 times: the scan finds the declaration at its first check, and the
        // index's record tells so (the term's count at the declaration is 1), though the file holds 301 occurrences.
        var early = new StringBuilder("function maxHeaderSize(x) {\n  return x;\n}\nlet total = 0;\n");
        for (var k = 0; k < 300; k++)
        {
            early.Append("  total += maxHeaderSize(").Append(k).Append(");\n");
        }
        File.WriteAllText(Path.Combine(Project, "lib", "early.js"), early.ToString());
        await SettleAsync();
        var expected = await RankAsync(Project, 0, null);

        Assert.Equal(expected, await RankAsync(Project, 0, index));
        Assert.Equal(expected, await RankAsync(Project, 0, index));
        Assert.Equal(before, index.Last!.Rescanned);
        Assert.Equal(0, index.Last!.Scanned);
        Assert.Contains(expected.Split('\n'), l => l.StartsWith("lib/early.js\t", StringComparison.Ordinal)
            && l.Contains("defines maxHeaderSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIndexOfAnEarlierVersion_IsTreatedAsAbsent_AndBuiltAgain()
    {
        await SettleAsync();
        var expected = await RankAsync(Project, 0, null);
        var index = NewIndex(State);
        await RankAsync(Project, 0, index);
        var path = index.PathFor(Project);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(IndexFile.Version, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        // Version 3 (no counts on the declared rows) with its checksums intact otherwise: never read as version 4.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), IndexFile.Version - 1);
        File.WriteAllBytes(path, bytes);

        Assert.Null(IndexFile.TryOpen(path));
        var fresh = NewIndex(State);
        Assert.Equal(expected, await RankAsync(Project, 0, fresh));
        Assert.False(fresh.Last!.Loaded);
        Assert.True(fresh.Last!.Written > 200, $"written {fresh.Last!.Written}");
        Assert.Equal(IndexFile.Version, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(File.ReadAllBytes(path).AsSpan(4)));
        Assert.Equal(expected, await RankAsync(Project, 0, fresh));
        Assert.True(fresh.Last!.Loaded);
    }

    [Fact]
    public async Task AfterEditsAddsDeletesRenamesAndSwaps_TheRankingIsTheScans_AndOnlyChangedFilesAreRead()
    {
        await SettleAsync();
        var index = NewIndex(State);
        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            await RankAsync(Project, spec, index);
        }
        var http = Path.Combine(Project, "lib", "http_server.js");
        // Same size, new content; a new file; a deleted one; a rename; two files swapped keeping their times.
        var text = await File.ReadAllTextAsync(http);
        await File.WriteAllTextAsync(http, text.Replace("validateInteger", "validateIntegeR", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(Project, "lib", "new_parser.js"), "function createServer() { return maxHeaderSize; }\n");
        File.Delete(Path.Combine(Project, "lib", "parser_cache.js"));
        File.Move(Path.Combine(Project, "src", "node_worker.h"), Path.Combine(Project, "src", "node_worker_renamed.h"));
        var cs = Directory.GetFiles(Path.Combine(Project, "cs")).Order(StringComparer.Ordinal).ToList();
        var a = cs[0];
        var b = cs[1];
        var (timeA, timeB) = (File.GetLastWriteTimeUtc(a), File.GetLastWriteTimeUtc(b));
        var (textA, textB) = (await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
        await File.WriteAllBytesAsync(a, textB);
        await File.WriteAllBytesAsync(b, textA);
        File.SetLastWriteTimeUtc(a, timeA);
        File.SetLastWriteTimeUtc(b, timeB);
        await SettleAsync();

        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            var expected = await RankAsync(Project, spec, null);
            Assert.Equal(expected, await RankAsync(Project, spec, index));
            if (spec == 0)
            {
                Assert.Equal(5, index.Last!.Scanned); // the edit, the new file, the renamed file, the two swapped ones
                Assert.True(index.Last!.Written > 0);
            }
            else
            {
                Assert.Equal(0, index.Last!.Scanned);
            }
        }
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("flip-body")]
    [InlineData("flip-page-checksums")]
    [InlineData("truncate-page-checksums")]
    [InlineData("garbage")]
    [InlineData("delete")]
    [InlineData("empty")]
    public async Task ACorruptedOrMissingIndex_ChangesNothingButTheTime(string damage)
    {
        await SettleAsync();
        var index = NewIndex(State);
        await RankAsync(Project, 0, index);
        var file = index.PathFor(Project);
        Assert.True(File.Exists(file));
        var bytes = await File.ReadAllBytesAsync(file);
        switch (damage)
        {
            case "truncate":
                await File.WriteAllBytesAsync(file, bytes[..(bytes.Length / 2)]);
                break;
            case "flip":
                foreach (var at in new[] { 30, bytes.Length / 3, bytes.Length / 2, bytes.Length - 20 })
                {
                    bytes[at] ^= 0x5A;
                }
                await File.WriteAllBytesAsync(file, bytes);
                break;
            case "flip-body":
                // One byte in the middle of the body: only the page it is in fails its checksum, when it is read.
                bytes[BodyAt(bytes) + (BodyLength(bytes) / 2)] ^= 0x01;
                await File.WriteAllBytesAsync(file, bytes);
                break;
            case "flip-page-checksums":
                // The page checksums after the body are covered by the head's checksum.
                bytes[BodyAt(bytes) + BodyLength(bytes) + 3] ^= 0x01;
                await File.WriteAllBytesAsync(file, bytes);
                break;
            case "truncate-page-checksums":
                await File.WriteAllBytesAsync(file, bytes[..^1]);
                break;
            case "garbage":
                new Random(3).NextBytes(bytes);
                await File.WriteAllBytesAsync(file, bytes);
                break;
            case "delete":
                File.Delete(file);
                break;
            default:
                await File.WriteAllBytesAsync(file, []);
                break;
        }

        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            Assert.Equal(await RankAsync(Project, spec, null), await RankAsync(Project, spec, index));
        }
        // The first ranking after the damage found no valid index and wrote a new one; the next ones read it.
        Assert.True(index.Last!.Loaded);
        Assert.Equal(0, index.Last!.Scanned);
    }

    [Fact]
    public async Task RankingsAtOnce_ThroughOneIndexFolder_AllGiveTheScansRanking()
    {
        await SettleAsync();
        var expected = await Task.WhenAll(Enumerable.Range(0, SpecTexts.Length).Select(s => RankAsync(Project, s, null)));
        var tasks = Enumerable.Range(0, 12).Select(k => Task.Run(async () =>
        {
            var index = NewIndex(State); // separate instances, as separate processes would be
            var results = new List<(int, string)>();
            for (var round = 0; round < 3; round++)
            {
                var spec = (k + round) % SpecTexts.Length;
                results.Add((spec, await RankAsync(Project, spec, index)));
            }
            return results;
        })).ToList();

        foreach (var results in await Task.WhenAll(tasks))
        {
            foreach (var (spec, ranked) in results)
            {
                Assert.Equal(expected[spec], ranked);
            }
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(State, ContextIndexOptions.FolderName), "*.tmp"));
    }

    [Fact]
    public async Task AFirstRunSpillingItsRows_RanksAsTheScan_AndWritesTheSameIndex_LeavingNoTemporaryFile()
    {
        await SettleAsync();
        var expected = await RankAsync(Project, 0, null);
        var whole = NewIndex(State);
        Assert.Equal(expected, await RankAsync(Project, 0, whole));
        var other = _dir.Combine("state-spilled");
        var spilled = new ContextIndex(new ContextIndexOptions(Path.Combine(other, ContextIndexOptions.FolderName), 1L << 30)
        {
            RacyWindow = TimeSpan.Zero,
            SpillBufferRows = 16,
        }, TimeProvider.System);

        Assert.Equal(expected, await RankAsync(Project, 0, spilled));
        Assert.False(spilled.Last!.Loaded);
        Assert.Equal(whole.Last!.Written, spilled.Last!.Written);
        Assert.Equal(Comparable(whole.PathFor(Project)), Comparable(spilled.PathFor(Project)));
        Assert.Equal([Path.GetFileName(spilled.PathFor(Project))],
            Directory.GetFiles(Path.Combine(other, ContextIndexOptions.FolderName)).Select(Path.GetFileName).Where(f => !f!.EndsWith(".ctxwalk", StringComparison.Ordinal)));
        Assert.Equal(expected, await RankAsync(Project, 0, spilled));
        Assert.True(spilled.Last!.Loaded);
        Assert.Equal(0, spilled.Last!.Scanned);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spilled.PathFor(Project)));
        }
    }

    [Fact]
    public async Task AnIndexTooLargeForTheCap_IsNotBuilt_AndTheRankingStands()
    {
        await SettleAsync();
        var expected = await RankAsync(Project, 1, null);
        var capped = NewIndex(State, maxBytes: 4096);

        Assert.Equal(expected, await RankAsync(Project, 1, capped));
        Assert.Equal(0, capped.Last!.Written);
        Assert.False(File.Exists(capped.PathFor(Project)));
        Assert.Equal(expected, await RankAsync(Project, 1, capped));
    }

    /// <summary>Where a segment's body starts (the head's length).</summary>
    private static int BodyAt(byte[] bytes) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32));

    /// <summary>A segment's body length (the page checksums follow the body).</summary>
    private static int BodyLength(byte[] bytes) => (int)System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(44));

    /// <summary>A segment's bytes with its time, id and head checksum cleared.</summary>
    private static byte[] Comparable(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32));
        bytes.AsSpan(8, 16).Clear();
        bytes.AsSpan(headLength - 8, 8).Clear();
        return bytes;
    }

    [Fact]
    public async Task TheSizeCap_EvictsTheLeastRecentlyUsedProjectIndex()
    {
        await SettleAsync();
        var second = _dir.Combine("second");
        Write(second, files: 60, seed: 11);
        await SettleAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await RankAsync(Project, 0, NewIndex(State, time: time));
        var first = NewIndex(State).PathFor(Project);
        var size = new FileInfo(first).Length;

        // Room for the first index and a bit: the second project's index pushes the older, first one out.
        time.Advance(TimeSpan.FromMinutes(1));
        var capped = NewIndex(State, size + 1024, time);
        await RankAsync(second, 0, capped);
        Assert.False(File.Exists(first));
        Assert.True(File.Exists(capped.PathFor(second)));

        // Used again, the first project's index is rebuilt and the second (now least recently used) goes.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(await RankAsync(Project, 0, null), await RankAsync(Project, 0, capped));
        Assert.True(File.Exists(first));
        Assert.False(File.Exists(capped.PathFor(second)));
    }

    [Fact]
    public async Task AProjectReachedThroughASymlink_SharesTheIndexOfItsRealPath()
    {
        var link = _dir.Combine("link-to-project");
        Directory.CreateSymbolicLink(link, Project);
        await SettleAsync();
        var index = NewIndex(State);

        Assert.Equal(index.PathFor(Project), index.PathFor(link));
        Assert.Equal(index.PathFor(Project), index.PathFor(Project + "/"));
        await RankAsync(Project, 1, index);
        Assert.Equal(await RankAsync(Project, 1, null), await RankAsync(link, 1, index));
        Assert.True(index.Last!.Loaded);
        Assert.Equal(0, index.Last!.Scanned);
    }

    [Fact]
    public async Task TheIndex_HoldsNoFileTextAndNothingOfSecretFiles()
    {
        var unique = "Zqxjkvbwpyfh";
        File.WriteAllText(Path.Combine(Project, "lib", "unique.js"), $"// {unique} {unique}Server\nconst {unique}Value = 1;\n");
        await SettleAsync();
        var index = NewIndex(State);
        await RankAsync(Project, 0, index, readContents: true);
        await RankAsync(Project, 0, index, readContents: false);

        var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(index.PathFor(Project)));
        Assert.Contains("lib/unique.js", text, StringComparison.Ordinal); // paths are kept
        Assert.DoesNotContain(unique, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("zebrasecretvalue", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".env", text, StringComparison.Ordinal);
        Assert.DoesNotContain("use strict", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(index.PathFor(Project)));
        }
    }

    [Fact]
    public async Task Cancellation_StopsTheRanking_AndLeavesAUsableIndex()
    {
        await SettleAsync();
        var index = NewIndex(State);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var spec = SpecSynth.Specs.SpecParser.Parse(SpecTexts[0], "spec.md");
        var project = await new SpecSynth.Projects.ProjectScanner(new SpecSynth.Projects.ProjectScanOptions { ReadContents = false })
            .ScanAsync(Project, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpecSynth.Context.Relevance.RelevanceRanker(null, index).RankAsync(spec, project, cancelled.Token));
        Assert.Equal(await RankAsync(Project, 0, null), await RankAsync(Project, 0, index));
    }
}
