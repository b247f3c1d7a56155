using System.Buffers.Binary;
using SpecSynth.Context.Index;
using static SpecSynth.Tests.Context.Indexing.IndexTree;

namespace SpecSynth.Tests.Context.Indexing;

/// <summary>The delta segment: after a few edits only the changed files are written, beside the base, which is left as
/// it was; a delta that is damaged, missing or belongs to another base changes nothing but the time; a delta that
/// grows past its share of the base is compacted into a new base.</summary>
public sealed class ContextIndexDeltaTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ContextIndexDeltaTests()
    {
        Write(Project);
    }

    private string Project => _dir.Combine("project");

    private string State => _dir.Combine("state");

    public void Dispose() => _dir.Dispose();

    private async Task<string[]> EditAsync(int count)
    {
        var files = Directory.GetFiles(Path.Combine(Project, "lib")).Order(StringComparer.Ordinal).Take(count).ToArray();
        foreach (var file in files)
        {
            await File.AppendAllTextAsync(file, "\nfunction createServer() { return maxHeaderSize; }\n");
        }
        await SettleAsync();
        return files;
    }

    /// <summary>Ranks spec 0 once with a new index over the settled project: the index, its base and delta paths, and the
    /// base's bytes as that first ranking wrote them.</summary>
    private async Task<(ContextIndex Index, string BasePath, string DeltaPath, byte[] BaseBytes)> FirstRankingAsync()
    {
        await SettleAsync();
        var index = NewIndex(State);
        await RankAsync(Project, 0, index);
        var basePath = index.PathFor(Project);
        return (index, basePath, IndexFile.DeltaPathOf(basePath), await File.ReadAllBytesAsync(basePath));
    }

    [Fact]
    public async Task AfterAFewEdits_OnlyTheDeltaIsWritten_TheBaseIsLeftAsItWas_AndTheRankingIsTheScans()
    {
        var (index, basePath, deltaPath, baseBytes) = await FirstRankingAsync();
        Assert.False(File.Exists(deltaPath));

        await EditAsync(3);
        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            Assert.Equal(await RankAsync(Project, spec, null), await RankAsync(Project, spec, index));
            Assert.Equal(spec == 0 ? 3 : 0, index.Last!.Scanned);
        }
        Assert.True(File.Exists(deltaPath));
        Assert.Equal(baseBytes, await File.ReadAllBytesAsync(basePath));
        Assert.True(new FileInfo(deltaPath).Length * 8 < baseBytes.Length);
        using (var snapshot = IndexSnapshot.TryOpen(basePath))
        {
            Assert.NotNull(snapshot?.Delta);
            Assert.Equal(3, snapshot!.Delta!.Entries.Count);
        }

        // Edited again: the delta keeps its other entries and replaces the edited one.
        var again = await EditAsync(1);
        Assert.Equal(await RankAsync(Project, 1, null), await RankAsync(Project, 1, index));
        Assert.Equal(1, index.Last!.Scanned);
        Assert.Equal(baseBytes, await File.ReadAllBytesAsync(basePath));
        using (var snapshot = IndexSnapshot.TryOpen(basePath))
        {
            Assert.Equal(3, snapshot!.Delta!.Entries.Count);
            Assert.Contains(Enumerable.Range(0, snapshot.Delta.Entries.Count).Select(snapshot.Delta.PathOf), p => again[0].EndsWith(p, StringComparison.Ordinal));
        }
        Assert.Equal(await RankAsync(Project, 2, null), await RankAsync(Project, 2, index));
        Assert.Equal(0, index.Last!.Scanned);
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip-head")]
    [InlineData("flip-body")]
    [InlineData("flip-page-checksums")]
    [InlineData("garbage")]
    [InlineData("delete")]
    [InlineData("empty")]
    [InlineData("other-base")]
    public async Task ADamagedOrForeignDelta_ChangesNothingButTheTime(string damage)
    {
        var (index, _, deltaPath, _) = await FirstRankingAsync();
        await EditAsync(4);
        await RankAsync(Project, 0, index);
        Assert.True(File.Exists(deltaPath));
        var bytes = await File.ReadAllBytesAsync(deltaPath);
        switch (damage)
        {
            case "truncate":
                await File.WriteAllBytesAsync(deltaPath, bytes[..(bytes.Length - 9)]);
                break;
            case "flip-head":
                bytes[IndexFile.FixedHead + 3] ^= 0x40;
                await File.WriteAllBytesAsync(deltaPath, bytes);
                break;
            case "flip-body":
                var body = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32));
                var bodyLength = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(44));
                foreach (var at in new[] { body, body + (bodyLength / 2), body + bodyLength - 1 })
                {
                    bytes[at] ^= 0x21;
                }
                await File.WriteAllBytesAsync(deltaPath, bytes);
                break;
            case "flip-page-checksums":
                // After the body, covered by the head's checksum.
                bytes[^1] ^= 0x21;
                await File.WriteAllBytesAsync(deltaPath, bytes);
                break;
            case "garbage":
                new Random(5).NextBytes(bytes);
                await File.WriteAllBytesAsync(deltaPath, bytes);
                break;
            case "delete":
                File.Delete(deltaPath);
                break;
            case "empty":
                await File.WriteAllBytesAsync(deltaPath, []);
                break;
            default:
                // A delta written for another base (the base rebuilt by another process meanwhile).
                var other = _dir.Combine("other-state");
                var otherIndex = NewIndex(other);
                await RankAsync(Project, 0, otherIndex);
                await EditAsync(1);
                await RankAsync(Project, 0, otherIndex);
                File.Copy(IndexFile.DeltaPathOf(otherIndex.PathFor(Project)), deltaPath, overwrite: true);
                break;
        }

        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            Assert.Equal(await RankAsync(Project, spec, null), await RankAsync(Project, spec, index));
        }
        // The first ranking after the damage read the edited files again and wrote a good delta; the next ones read it.
        Assert.True(index.Last!.Loaded);
        Assert.Equal(0, index.Last!.Scanned);
    }

    [Fact]
    public async Task EditsWithinTheRacyWindow_WriteNothing_AreReadAgainUntilSettled_AndTheRankingIsTheScans()
    {
        var (settled, basePath, deltaPath, baseBytes) = await FirstRankingAsync();
        await EditAsync(3);
        await RankAsync(Project, 0, settled);
        var deltaBytes = await File.ReadAllBytesAsync(deltaPath);
        // The same index folder, by an index to which every file changed in the last hour is racy.
        var racy = new ContextIndex(new ContextIndexOptions(Path.Combine(State, ContextIndexOptions.FolderName), 1L << 30)
        {
            RacyWindow = TimeSpan.FromHours(1),
        }, TimeProvider.System);

        await EditAsync(2); // two of the delta's three files change again: their delta entries no longer match
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(await RankAsync(Project, round, null), await RankAsync(Project, round, racy));
            Assert.Equal(2, racy.Last!.Scanned);
            Assert.Equal(0, racy.Last!.Written);
            Assert.Equal(baseBytes, await File.ReadAllBytesAsync(basePath));
            Assert.Equal(deltaBytes, await File.ReadAllBytesAsync(deltaPath));
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(basePath)!, "*.tmp"));

        // Settled, they are written (the delta replaces their entries) and then reused.
        Assert.Equal(await RankAsync(Project, 2, null), await RankAsync(Project, 2, settled));
        Assert.Equal(2, settled.Last!.Scanned);
        Assert.Equal(3, settled.Last!.Written); // the delta: the two read again and its third, reused
        Assert.NotEqual(deltaBytes, await File.ReadAllBytesAsync(deltaPath));
        Assert.Equal(await RankAsync(Project, 0, null), await RankAsync(Project, 0, racy));
        Assert.Equal(0, racy.Last!.Scanned);
    }

    [Fact]
    public async Task ADeltaPastItsShareOfTheBase_IsCompactedIntoANewBase()
    {
        var (index, basePath, deltaPath, baseBytes) = await FirstRankingAsync();

        // A quarter of the files (60 of 240): more than ContextIndex.DeltaShare of the base.
        var edited = await EditAsync(60);
        Assert.Equal(60, edited.Length);
        File.Delete(Path.Combine(Project, "lib", Path.GetFileName(edited[^1])));
        Assert.Equal(await RankAsync(Project, 0, null), await RankAsync(Project, 0, index));
        Assert.False(File.Exists(deltaPath));
        Assert.NotEqual(baseBytes, await File.ReadAllBytesAsync(basePath));
        using (var snapshot = IndexSnapshot.TryOpen(basePath))
        {
            Assert.Null(snapshot!.Delta);
            Assert.DoesNotContain(Enumerable.Range(0, snapshot.Base.Entries.Count).Select(snapshot.Base.PathOf), p => edited[^1].EndsWith(p, StringComparison.Ordinal)); // the deleted file is gone
        }
        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            Assert.Equal(await RankAsync(Project, spec, null), await RankAsync(Project, spec, index));
            Assert.Equal(0, index.Last!.Scanned);
            Assert.Equal(0, index.Last!.Written);
        }
    }

    [Fact]
    public async Task RankingsAtOnce_AfterEdits_WritingDeltasAndBases_AllGiveTheScansRanking()
    {
        await SettleAsync();
        await RankAsync(Project, 0, NewIndex(State));
        await EditAsync(5);
        var expected = await Task.WhenAll(Enumerable.Range(0, SpecTexts.Length).Select(s => RankAsync(Project, s, null)));
        var tasks = Enumerable.Range(0, 10).Select(k => Task.Run(async () =>
        {
            var index = NewIndex(State);
            var results = new List<(int, string)>();
            for (var round = 0; round < 3; round++)
            {
                if (k % 3 == 0 && round == 1)
                {
                    // Some files are saved again meanwhile (same content, new times): deltas race with readers and writers.
                    File.SetLastWriteTimeUtc(Directory.GetFiles(Path.Combine(Project, "py", "pkg")).Order(StringComparer.Ordinal).ElementAt(k), DateTime.UtcNow);
                }
                var spec = (k + round) % SpecTexts.Length;
                results.Add((spec, await RankAsync(Project, spec, index)));
            }
            return results;
        })).ToList();
        var all = await Task.WhenAll(tasks);
        await SettleAsync();

        var final = await Task.WhenAll(Enumerable.Range(0, SpecTexts.Length).Select(s => RankAsync(Project, s, null)));
        foreach (var results in all)
        {
            foreach (var (spec, ranked) in results)
            {
                Assert.Equal(expected[spec], ranked);
            }
        }
        Assert.Equal(expected, final);
        Assert.Empty(Directory.GetFiles(Path.Combine(State, ContextIndexOptions.FolderName), "*.tmp"));
        for (var spec = 0; spec < SpecTexts.Length; spec++)
        {
            Assert.Equal(final[spec], await RankAsync(Project, spec, NewIndex(State)));
        }
    }
}
