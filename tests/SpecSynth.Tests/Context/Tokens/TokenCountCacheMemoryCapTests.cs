using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>The token-count cache's memory cap: a process keeps at most <see cref="TokenCountCache.MaxEntries"/> entries,
/// what it drops is still in the file for the next run, what it keeps using stays, and a file larger than the cap is read,
/// merged and capped in streamed passes without changing an answer.</summary>
public sealed class TokenCountCacheMemoryCapTests
{
    private const ulong Counter = 7;

    private static TextHash Key(string prefix, int i) => TokenTextHash.Of($"{prefix} {i}");

    [Fact]
    public void TheCap_Holds_AndEveryDroppedNewEntry_IsFoundByTheNextRun()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var cache = new TokenCountCache(path, maxEntries: 64);

        for (var i = 0; i < 1000; i++)
        {
            cache.Add(Counter, Key("spec", i), i * 3);
            Assert.InRange(cache.InMemory, 1, 64);
        }
        cache.AddLines(Counter, Key("lines", 0), [1, 2, 3]);
        cache.Flush(force: true);

        var next = new TokenCountCache(path);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.True(next.TryGet(Counter, Key("spec", i), out var count) && count == i * 3, $"spec {i}"));
        Assert.Equal(new[] { 1, 2, 3 }, next.TryGetLines(Counter, Key("lines", 0)));
        Assert.Equal(0, next.Misses);
    }

    [Fact]
    public void EntriesUsedAgainAndAgain_StayInMemory_WhileNewOnesComeAndGo()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var cache = new TokenCountCache(path, maxEntries: 64);
        for (var h = 0; h < 10; h++)
        {
            cache.Add(Counter, Key("project file", h), h);
        }

        for (var i = 0; i < 2000; i++)
        {
            cache.Add(Counter, Key("spec", i), i);
            var hot = i % 10;
            Assert.True(cache.TryGet(Counter, Key("project file", hot), out var count));
            Assert.Equal(hot, count);
        }

        Assert.Equal(0, cache.Misses);
        Assert.InRange(cache.InMemory, 10, 64);
        // The file was written at each drop (and once more now): the next run finds everything.
        cache.Flush(force: true);
        var next = new TokenCountCache(path);
        Assert.All(Enumerable.Range(0, 2000), i => Assert.True(next.TryGet(Counter, Key("spec", i), out var count) && count == i));
    }

    [Fact]
    public void AFileLargerThanTheCap_LoadsTheNewestDays_AndASaveKeepsTheRest()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var writer = new TokenCountCache(path, time);
        for (var i = 0; i < 300; i++)
        {
            writer.Add(Counter, Key("old", i), i);
        }
        time.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 40; i++)
        {
            writer.Add(Counter, Key("recent", i), i);
        }
        writer.Flush(force: true);

        var capped = new TokenCountCache(path, time, maxEntries: 64);
        // The newest day first: all 40 recent entries come from memory (no miss), the old ones fill what is left.
        Assert.All(Enumerable.Range(0, 40), i => Assert.True(capped.TryGet(Counter, Key("recent", i), out var count) && count == i));
        Assert.Equal(0, capped.Misses);
        Assert.Equal(64, capped.InMemory);
        capped.Add(Counter, Key("new", 0), 5);
        capped.Flush(force: true);

        var next = new TokenCountCache(path, time);
        Assert.All(Enumerable.Range(0, 300), i => Assert.True(next.TryGet(Counter, Key("old", i), out var count) && count == i, $"old {i}"));
        Assert.True(next.TryGet(Counter, Key("new", 0), out var added) && added == 5);
        Assert.Equal(341, TokenCountCache.Read(path).Count);
    }

    [Fact]
    public void ADamagedLargeFile_IsReadAsEmpty_AndReplaced()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var writer = new TokenCountCache(path);
        for (var i = 0; i < 500; i++)
        {
            writer.Add(Counter, Key("spec", i), i);
        }
        writer.Flush(force: true);
        var good = File.ReadAllBytes(path);
        var random = new Random(11);
        List<byte[]> damaged = [good[..(good.Length / 2)], good[..^1], [.. good, 0]];
        for (var i = 0; i < 10; i++)
        {
            var flipped = (byte[])good.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            damaged.Add(flipped);
        }

        foreach (var bytes in damaged)
        {
            File.WriteAllBytes(path, bytes);
            var capped = new TokenCountCache(path, maxEntries: 64);

            Assert.False(capped.TryGet(Counter, Key("spec", 3), out _));
            for (var i = 0; i < 100; i++)
            {
                capped.Add(Counter, Key("again", i), i);
            }
            capped.Flush(force: true);
            var next = new TokenCountCache(path);
            Assert.All(Enumerable.Range(0, 100), i => Assert.True(next.TryGet(Counter, Key("again", i), out var count) && count == i));
            Assert.False(next.TryGet(Counter, Key("spec", 3), out _));
        }
    }

    [Fact]
    public async Task TwoCappedProcessesAtOnce_LoseNothingTheyBothWrote()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");

        await Task.WhenAll(Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            var cache = new TokenCountCache(path, maxEntries: 64);
            for (var i = 0; i < 400; i++)
            {
                cache.Add(Counter, Key($"process {p}", i), i);
            }
            cache.Flush(force: true);
        })));

        // Each save merges the file on disk when it writes; a save that lost a race to a rename may drop the other's last
        // batch, never a wrong count: every answer is right, and the last writer's entries are all there.
        var next = new TokenCountCache(path);
        var found = Enumerable.Range(0, 2).Select(p => Enumerable.Range(0, 400).Count(i =>
        {
            if (!next.TryGet(Counter, Key($"process {p}", i), out var count))
            {
                return false;
            }
            Assert.Equal(i, count);
            return true;
        })).ToList();
        Assert.Contains(400, found);
        Assert.True(found.Sum() >= 400 + 300, string.Join(", ", found));
    }

    [Fact]
    public void TheSizeCap_HoldsWhenTheFileIsMergedInPasses()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        const long maxBytes = 20 + (37 * 100);
        var cache = new TokenCountCache(path, time, maxBytes, maxEntries: 16);
        for (var i = 0; i < 200; i++)
        {
            if (i % 50 == 0)
            {
                time.Advance(TimeSpan.FromDays(1));
            }
            cache.Add(Counter, Key("spec", i), i);
        }
        cache.Flush(force: true);

        Assert.InRange(new FileInfo(path).Length, 1, maxBytes);
        var kept = TokenCountCache.Read(path);
        Assert.Equal(100, kept.Count);
        var next = new TokenCountCache(path, time);
        // The two newest days (entries 100-199) are the ones kept.
        Assert.All(Enumerable.Range(100, 100), i => Assert.True(next.TryGet(Counter, Key("spec", i), out var count) && count == i, $"spec {i}"));
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
