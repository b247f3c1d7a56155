using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>The token-count cache holds at most its cap of entries in memory, and still every count of a run reaches the
/// next run, whatever other processes write at the same time and whatever happens to a journal's bytes.</summary>
public sealed class TokenCountCacheMemoryCapTests
{
    private const ulong Counter = 77;

    private static TextHash Key(string name, int i) => TokenTextHash.Of($"{name} {i}");

    private static int CountOf(string name, int i) => (i * 7) + name.Length;

    /// <summary>Whether <paramref name="cache"/> has the count of text <paramref name="i"/> of <paramref name="name"/> (and it is the one written).</summary>
    private static bool Has(TokenCountCache cache, string name, int i)
    {
        if (!cache.TryGet(Counter, Key(name, i), out var count))
        {
            return false;
        }
        Assert.Equal(CountOf(name, i), count);
        return true;
    }

    [Fact]
    public void TheCap_Holds_AndTheNextProcessFindsEveryCountOfTheRun()
    {
        using var dir = new TempDir();
        var path = dir.Combine("context-index", TokenCountCache.FileName);
        var cache = new TokenCountCache(path, maxEntries: 64);
        var most = 0;
        for (var i = 0; i < 1000; i++)
        {
            cache.Add(Counter, Key("text", i), CountOf("text", i));
            most = Math.Max(most, cache.InMemory);
        }
        cache.Flush(force: true);

        var next = new TokenCountCache(path);
        Assert.Equal(64, most);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.True(next.TryGet(Counter, Key("text", i), out var c) && c == CountOf("text", i)));
        Assert.Equal(0, next.Misses);
        Assert.Equal(1000, TokenCountCache.Read(path).Count);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*" + TokenCountJournal.Suffix));
    }

    [Fact]
    public void EntriesLookedUpAgain_StayInMemory_WhileOneOffsComeAndGo()
    {
        using var dir = new TempDir();
        var cache = new TokenCountCache(dir.Combine(TokenCountCache.FileName), maxEntries: 64);
        for (var h = 0; h < 10; h++)
        {
            cache.Add(Counter, Key("hot", h), CountOf("hot", h));
        }
        for (var i = 0; i < 2000; i++)
        {
            cache.Add(Counter, Key("once", i), CountOf("once", i));
            for (var h = 0; h < 10; h++)
            {
                // A lookup never reads the file again: a hot entry that left memory would be a miss here.
                Assert.True(cache.TryGet(Counter, Key("hot", h), out var count) && count == CountOf("hot", h), $"hot {h} after {i}");
            }
        }
        Assert.Equal(0, cache.Misses);
        Assert.Equal(64, cache.InMemory);
    }

    [Fact]
    public void EntriesLeavingMemory_AreInTheJournal_ForAProcessStartingMeanwhile()
    {
        using var dir = new TempDir();
        var path = dir.Combine(TokenCountCache.FileName);
        var running = new TokenCountCache(path, maxEntries: 64);
        for (var i = 0; i < 500; i++)
        {
            running.Add(Counter, Key("text", i), CountOf("text", i));
        }

        var meanwhile = new TokenCountCache(path);
        var found = Enumerable.Range(0, 500).Where(i => Has(meanwhile, "text", i)).ToList();

        // Only what is still in the running process's memory (at most its cap) is not on disk yet.
        Assert.InRange(found.Count, 500 - 64, 500);
        Assert.Single(Directory.GetFiles(dir.Path, "*" + TokenCountJournal.Suffix));
        running.Flush(force: true);
        var after = new TokenCountCache(path);
        Assert.All(Enumerable.Range(0, 500), i => Assert.True(after.TryGet(Counter, Key("text", i), out _)));
    }

    [Fact]
    public async Task CappedWritersAndReadersAtOnce_LoseNothingAnyOfThemWrote()
    {
        for (var round = 0; round < 3; round++)
        {
            using var dir = new TempDir();
            var path = dir.Combine("context-index", TokenCountCache.FileName);
            using var stop = new CancellationTokenSource();
            var reads = 0;
            var reader = Task.Run(() =>
            {
                // A process starting now and then while they write: every count it finds is the one written.
                do
                {
                    var cache = new TokenCountCache(path, maxEntries: 100_000);
                    for (var w = 0; w < 4; w++)
                    {
                        for (var i = 0; i < 400; i += 37)
                        {
                            if (cache.TryGet(Counter, Key($"writer {w}", i), out var count))
                            {
                                Assert.Equal(CountOf($"writer {w}", i), count);
                            }
                        }
                    }
                    reads++;
                }
                while (!stop.IsCancellationRequested);
            });
            await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
            {
                var name = $"writer {w}";
                var cache = new TokenCountCache(path, maxEntries: 32);
                for (var i = 0; i < 400; i++)
                {
                    cache.Add(Counter, Key(name, i), CountOf(name, i));
                    if (i % 50 == 49)
                    {
                        cache.Flush(force: i % 100 == 99); // a batch to the journal, and now and then a merge
                    }
                }
                cache.Flush(force: true);
            })));
            await stop.CancelAsync();
            await reader;

            var next = new TokenCountCache(path);
            Assert.All(Enumerable.Range(0, 4), w => Assert.All(Enumerable.Range(0, 400), i =>
                Assert.True(next.TryGet(Counter, Key($"writer {w}", i), out var count) && count == CountOf($"writer {w}", i), $"writer {w} text {i}")));
            Assert.True(reads > 0);
        }
    }

    [Fact]
    public void AKilledProcessesJournal_TornOrDamaged_NeverChangesACount_AndIsMergedByTheNextWriter()
    {
        using var dir = new TempDir();
        var source = dir.Combine("a", TokenCountCache.FileName);
        var writer = new TokenCountCache(source, maxEntries: 16);
        for (var i = 0; i < 200; i++)
        {
            writer.Add(Counter, Key("text", i), CountOf("text", i));
        }
        writer.AddLines(Counter, Key("lines", 0), [3, 1, 4, 1, 5]);
        writer.Flush(); // the first flush merges into the file
        for (var i = 200; i < 300; i++)
        {
            writer.Add(Counter, Key("text", i), CountOf("text", i));
        }
        var journal = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(source)!, "*" + TokenCountJournal.Suffix));
        var good = File.ReadAllBytes(journal);
        Assert.True(good.Length > 1000, $"{good.Length} bytes of journal");

        var damaged = new List<byte[]>();
        foreach (var length in new[] { 0, 7, 8, 20, good.Length / 3, good.Length / 2, good.Length - 9, good.Length - 1, good.Length })
        {
            damaged.Add(good[..length]);
        }
        var random = new Random(12);
        for (var i = 0; i < 30; i++)
        {
            var flipped = (byte[])good.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            damaged.Add(flipped);
        }
        damaged.Add([.. good, 1, 2, 3]);
        foreach (var bytes in damaged)
        {
            // The journal of a process killed before its exit's merge, alone in a state folder.
            var folder = dir.Combine("b" + damaged.IndexOf(bytes));
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, TokenCountCache.FileName);
            File.WriteAllBytes(path + "." + Guid.NewGuid().ToString("N") + TokenCountJournal.Suffix, bytes);
            var reader = new TokenCountCache(path);
            var found = 0;
            for (var i = 200; i < 300; i++)
            {
                if (reader.TryGet(Counter, Key("text", i), out var count))
                {
                    Assert.Equal(CountOf("text", i), count);
                    found++;
                }
            }
            if (bytes.AsSpan().StartsWith(good))
            {
                Assert.True(found > 0, "an intact journal is read");
            }
            reader.Add(Counter, Key("new", 0), 1);
            reader.Flush(force: true);

            Assert.Empty(Directory.GetFiles(folder, "*" + TokenCountJournal.Suffix));
            var next = new TokenCountCache(path);
            Assert.True(next.TryGet(Counter, Key("new", 0), out _));
            Assert.Equal(found, Enumerable.Range(200, 100).Count(i => Has(next, "text", i)));
        }
        writer.Flush(force: true);
        var all = new TokenCountCache(source);
        Assert.All(Enumerable.Range(0, 300), i => Assert.True(all.TryGet(Counter, Key("text", i), out _)));
        Assert.Equal([3, 1, 4, 1, 5], all.TryGetLines(Counter, Key("lines", 0)) ?? []);
    }

    [Fact]
    public void AJournalPastHalfTheSizeCap_IsMergedDuringTheRun_AndTheFileKeepsItsCap()
    {
        using var dir = new TempDir();
        var path = dir.Combine(TokenCountCache.FileName);
        var cache = new TokenCountCache(path, maxBytes: 4096, maxEntries: 16);
        long mostJournal = 0;
        for (var i = 0; i < 1000; i++)
        {
            cache.Add(Counter, Key("text", i), CountOf("text", i));
            foreach (var journal in Directory.GetFiles(dir.Path, "*" + TokenCountJournal.Suffix))
            {
                mostJournal = Math.Max(mostJournal, new FileInfo(journal).Length);
            }
            Assert.InRange(File.Exists(path) ? new FileInfo(path).Length : 0, 0, 4096);
        }
        cache.Flush(force: true);

        // A batch is at most the cap's 16 entries of 37 bytes: the journal never passes half the file's cap by more.
        Assert.InRange(mostJournal, 1, 2048 + 8 + 8 + (16 * 37) + 8);
        Assert.InRange(new FileInfo(path).Length, 4096 - 37, 4096);
        var next = new TokenCountCache(path);
        Assert.True(next.TryGet(Counter, Key("text", 999), out var count) && count == CountOf("text", 999));
    }
}
