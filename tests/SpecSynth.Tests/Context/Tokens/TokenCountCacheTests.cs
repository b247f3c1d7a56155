using System.Reflection;
using SpecSynth.Context;
using SpecSynth.Context.Tokens;
using SpecSynth.Prompting;
using SpecSynth.Projects;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>The persistent token-count cache: every count it answers is the tokenizer's, whatever happens to its file.</summary>
public sealed class TokenCountCacheTests
{
    private static readonly string[] Texts =
    [
        "a", "hello world\n", "deps/v8/src/objects/js-objects-inl.h\n", "ünïcödé/日本語/файл.txt 😀", "<|endoftext|> is just text here",
        string.Concat(Enumerable.Repeat("public sealed class Store { int Count; }\n", 200)),
        string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"src/dir{i % 17}/file_{i}.cs")),
    ];

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void EveryHit_InANewProcess_EqualsAFreshCount(string encoding)
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var first = TiktokenCounter.ForEncoding(encoding).WithCache(new TokenCountCache(path));
        var counted = Texts.Select(first.Count).ToList();
        first.Cache!.Flush(force: true);

        var cache = new TokenCountCache(path);
        var second = TiktokenCounter.ForEncoding(encoding).WithCache(cache);
        // New string instances: the in-memory count of a string instance cannot answer.
        var again = Texts.Select(t => second.Count(new string(t.AsSpan()))).ToList();

        Assert.Equal(counted, again);
        Assert.Equal(Texts.Select(second.CountFresh), again);
        Assert.Equal(0, cache.Misses);
        Assert.Equal(Texts.Length, cache.Hits);
    }

    [Fact]
    public void TheEncodings_HaveTheirOwnKeys()
    {
        using var dir = new TempDir();
        var cache = new TokenCountCache(dir.Combine("tokens.ctxtok"));
        var text = "ünïcödé/日本語/файл.txt 😀 and some words";
        var o200k = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(cache);
        var cl100k = TiktokenCounter.ForEncoding(OpenAIEncodings.Cl100kBase).WithCache(cache);

        Assert.Equal(o200k.CountFresh(text), o200k.Count(text));
        Assert.Equal(cl100k.CountFresh(text), cl100k.Count(text));
        Assert.NotEqual(o200k.CountFresh(text), cl100k.CountFresh(text));
    }

    [Fact]
    public void TheFile_IsOwnerOnly_AndWrittenOnlyWhenSomethingWasAdded()
    {
        using var dir = new TempDir();
        var path = dir.Combine("context-index", "tokens.ctxtok");
        var counter = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path));
        counter.Count("some text");
        counter.Cache!.Flush(force: true);
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddMinutes(-5));

        var warm = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path));
        warm.Count("some text");
        warm.Cache!.Flush(force: true);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal(written.AddMinutes(-5), File.GetLastWriteTimeUtc(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void ATruncatedFlippedOrDeletedFile_NeverChangesACount()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var writer = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path));
        foreach (var text in Texts)
        {
            writer.Count(text);
        }
        TreeLines.Count(Texts, writer);
        writer.Cache!.Flush(force: true);
        var good = File.ReadAllBytes(path);
        var fresh = Texts.Select(writer.CountFresh).ToList();
        var freshLines = Texts.Select(t => writer.CountFresh(t + "\n")).ToList();

        var damaged = new List<byte[]>();
        foreach (var length in new[] { 0, 1, 11, 12, 40, good.Length / 2, good.Length - 9, good.Length - 1 })
        {
            damaged.Add(good[..length]);
        }
        var random = new Random(19);
        for (var i = 0; i < 40; i++)
        {
            var flipped = (byte[])good.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            damaged.Add(flipped);
        }
        damaged.Add([.. good, 0]);
        damaged.Add(null!); // deleted
        foreach (var bytes in damaged)
        {
            if (bytes is null)
            {
                File.Delete(path);
            }
            else
            {
                File.WriteAllBytes(path, bytes);
            }
            var cache = new TokenCountCache(path);
            var reader = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(cache);

            Assert.Equal(fresh, Texts.Select(t => reader.Count(new string(t.AsSpan()))));
            Assert.Equal(freshLines, TreeLines.Count(Texts, reader));
            Assert.True(cache.Misses > 0, "a damaged file is read as empty");
            cache.Flush(force: true);
            Assert.Equal(fresh, Texts.Select(t => new TokenCountCache(path).TryGet(reader.CounterId, TokenTextHash.Of(t), out var c) ? c : -1));
        }
    }

    [Fact]
    public async Task TwoProcessesWritingAtOnce_KeepEveryCountRight_AndMergeWhatTheyLearned()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var texts = Enumerable.Range(0, 400).Select(i => $"text number {i}: {new string('x', i % 37)} {i * 7919}").ToList();
        var fresh = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            var counter = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path));
            for (var i = p; i < texts.Count; i += 4)
            {
                counter.Count(texts[i]);
                if (i % 20 == p)
                {
                    counter.Cache!.Flush(force: true);
                }
            }
            counter.Cache!.Flush(force: true);
        })));

        var cache = new TokenCountCache(path);
        var reader = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(cache);
        Assert.Equal(texts.Select(fresh.Count), texts.Select(reader.Count));
        // Each writer merges what is on disk when it writes: the last writer of each keeps the others' counts.
        Assert.True(cache.Hits >= texts.Count / 4, $"{cache.Hits} hits");
    }

    [Fact]
    public void AWriteOfAnotherProcess_BetweenTwoSavesOfOne_IsMerged_AndOwnSavesKeepEverything()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var fresh = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase);
        var texts = Enumerable.Range(0, 6).Select(i => $"text {i} of the interleaved writers {new string('y', i)}").ToList();
        var a = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path));
        var b = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path));

        a.Count(texts[0]);
        a.Cache!.Flush(force: true);
        a.Count(texts[1]);
        a.Cache.Flush(force: true); // the file is still A's own: written again without reading it
        b.Count(texts[2]);
        b.Cache!.Flush(force: true); // B's file replaces A's
        a.Count(texts[3]);
        a.Cache.Flush(force: true); // A must read B's file now, or texts[2] is lost
        a.Count(texts[4]);
        a.Cache.Flush(force: true);

        var cache = new TokenCountCache(path);
        var reader = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(cache);
        Assert.Equal(texts.Take(5).Select(fresh.Count), texts.Take(5).Select(reader.Count));
        Assert.Equal(5, cache.Hits);
    }

    [Fact]
    public void TheSizeCap_KeepsTheFileSmall_DroppingTheLeastRecentlyUsed()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var old = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path, time, maxBytes: 4096));
        for (var i = 0; i < 60; i++)
        {
            old.Count($"old text {i}");
        }
        old.Cache!.Flush(force: true);
        time.Advance(TimeSpan.FromDays(3));
        var recent = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase).WithCache(new TokenCountCache(path, time, maxBytes: 4096));
        for (var i = 0; i < 60; i++)
        {
            recent.Count($"new text {i}");
        }
        recent.Cache!.Flush(force: true);

        Assert.InRange(new FileInfo(path).Length, 1, 4096);
        var entries = TokenCountCache.Read(path);
        Assert.Equal((4096 - 20) / 37, entries.Count); // 12 + 8 bytes around, 37 an entry of one count
        var cache = new TokenCountCache(path, time);
        Assert.All(Enumerable.Range(0, 60), i => Assert.True(cache.TryGet(recent.CounterId, TokenTextHash.Of($"new text {i}"), out _)));
    }

    [Theory]
    [InlineData("", 0x9090306C6E91ED59UL, 0xA19F5BA28C99EC1EUL)]
    [InlineData("a", 0xF34B67D68B3B1373UL, 0x92E03BB63274E65AUL)]
    [InlineData("hello, world", 0x0B372E6AD6B0CA2BUL, 0x0C9FBFC5B644D7FFUL)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789 and more than one block é 😀", 0xD2371A95A58FCAA7UL, 0x3F80963AFCD5CC1AUL)]
    public void TheTextHash_IsTheOneEarlierVersionsStored(string text, ulong upper, ulong lower)
    {
        // Pinned from the UInt128 the previous build returned (its upper and lower halves): files written before the
        // key became two ulongs keep answering.
        Assert.Equal(new TextHash(upper, lower), TokenTextHash.Of(text));
    }

    [Fact]
    public void TheLinesHash_IsTheOneEarlierVersionsStored() =>
        Assert.Equal(new TextHash(0x337D1948BB9155CCUL, 0xBD2BF461905CB925UL), TokenTextHash.OfLines(["src/a.cs", "", "docs/résumé.md"]));

    [Fact]
    public void TheStoredKey_IsThe128BitHashLittleEndian_AsBefore()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var cache = new TokenCountCache(path);
        cache.Add(42, TokenTextHash.Of("hello, world"), 3);
        cache.Flush(force: true);

        var bytes = File.ReadAllBytes(path);

        // 12-byte header, then counter (8), kind (1) and the hash as a little-endian UInt128 (lower half first).
        Assert.Equal(12 + 37 + 8, bytes.Length);
        Assert.Equal(42UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(new UInt128(0x0B372E6AD6B0CA2BUL, 0x0C9FBFC5B644D7FFUL), System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes.AsSpan(21)));
        Assert.True(new TokenCountCache(path).TryGet(42, TokenTextHash.Of("hello, world"), out var count));
        Assert.Equal(3, count);
        Assert.False(new TokenCountCache(path).TryGet(43, TokenTextHash.Of("hello, world"), out _));
        Assert.False(new TokenCountCache(path).TryGet(42, TokenTextHash.Of("hello, world!"), out _));
    }

    [Fact]
    public void AFileLargerThanTheWriteBuffer_ReadsBackEveryEntry_AndItsChecksum()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var cache = new TokenCountCache(path);
        // Thousands of texts (their headers cross the write buffer's end at every offset) and line lists longer than the
        // buffer itself (their values cross it mid-list).
        var texts = Enumerable.Range(0, 5000).Select(i => (Hash: TokenTextHash.Of($"spec {i}"), Count: i * 7)).ToList();
        var lines = Enumerable.Range(0, 3).Select(i => (Hash: TokenTextHash.OfLines([$"list {i}"]), Counts: Enumerable.Range(i, 9000 + i).ToArray())).ToList();
        foreach (var (hash, count) in texts)
        {
            cache.Add(5, hash, count);
        }
        foreach (var (hash, counts) in lines)
        {
            cache.AddLines(5, hash, counts);
        }
        cache.Flush(force: true);

        var bytes = File.ReadAllBytes(path);
        var read = TokenCountCache.Read(path);

        Assert.Equal(12 + (5000 * 37) + (3 * 33) + (4 * lines.Sum(l => l.Counts.Length)) + 8, bytes.Length);
        Assert.Equal(5003, read.Count);
        var fresh = new TokenCountCache(path);
        Assert.All(texts, t => Assert.True(fresh.TryGet(5, t.Hash, out var count) && count == t.Count));
        Assert.All(lines, l => Assert.Equal(l.Counts, fresh.TryGetLines(5, l.Hash)));
        bytes[bytes.Length / 2] ^= 1; // the checksum covers every chunk written
        File.WriteAllBytes(path, bytes);
        Assert.Empty(TokenCountCache.Read(path));
    }

    [Fact]
    public void TheSizeCap_KeepsTheNewestDays_WhateverTheirOrderInTheFile()
    {
        using var dir = new TempDir();
        var path = dir.Combine("tokens.ctxtok");
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new TokenCountCache(path, time, maxBytes: 20 + (37 * 10));
        // Days interleaved: 3 entries each of four days (12 in all, 10 fit: the three newest days and one of the oldest).
        for (var i = 0; i < 12; i++)
        {
            time.Advance(TimeSpan.FromDays(i % 4 == 0 && i > 0 ? -3 : 1));
            cache.Add(1, TokenTextHash.Of($"text {i}"), i);
        }
        cache.Flush(force: true);

        var kept = TokenCountCache.Read(path);

        Assert.Equal(10, kept.Count);
        var days = kept.Select(e => e.Day).ToList();
        Assert.Equal(days.OrderDescending(), days); // written newest first
        Assert.Equal(new[] { 3, 3, 3, 1 }, days.GroupBy(d => d).Select(g => g.Count()));
        Assert.All(Enumerable.Range(0, 12), i =>
            Assert.Equal(kept.Any(e => e.Count == i), new TokenCountCache(path, time).TryGet(1, TokenTextHash.Of($"text {i}"), out _)));
    }

    [Fact]
    public void TheLibraryVersion_InTheKeys_IsTheLoadedTokenizers()
    {
        var assembly = typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

        Assert.Equal(TiktokenEncodings.LibraryVersion, "Microsoft.ML.Tokenizers " + version);
    }

    [Fact]
    public async Task AWarmPlan_CountsNothing_AndIsTheSamePlan()
    {
        using var dir = new TempDir();
        var state = dir.Combine("state");
        var tree = Enumerable.Range(0, 3000).Select(i => $"lib/dir{i % 23}/module_{i}.js").Order(StringComparer.Ordinal).ToList();
        var files = Enumerable.Range(0, 40).Select(i => ($"lib/dir{i % 23}/module_{i}.js",
            string.Concat(Enumerable.Repeat($"export function handler{i}(request) {{ return request.body + {i}; }}\n", 40 + (i * 13))))).ToList();
        var project = Plans.Project(dir.Path, [.. files]) with { Tree = tree };
        var ranked = files.Select((f, i) => new RankedFile(f.Item1, f.Item2.Length, 100 - i, ["test"])).ToList();
        var spec = Plans.Spec("# Handlers\n\n- The handlers MUST answer requests.\n", "Handlers");

        async Task<(ContextPlan Plan, TokenCountCache Cache)> PlanAsync()
        {
            TokenCountCache.Forget(state); // a new process
            using var targets = ContextTargets.Create([new ProviderLimit("openai", "gpt-4o", 128_000, 16_000)], state, exactTokens: false, budget: 20_000);
            var request = new ContextPlanRequest(spec, project) { Ranked = ranked };
            var plan = await new ContextPlanner(new PromptBuilder(PromptTemplates.BuiltIn)).PlanAsync(request, targets.All);
            return (plan, TokenCountCache.InStateDir(state));
        }

        var (cold, coldCache) = await PlanAsync();
        var (warm, warmCache) = await PlanAsync();

        var file = Path.Combine(state, "context-index", TokenCountCache.FileName);
        Assert.True(coldCache.Misses > 0);
        Assert.True(warmCache.Misses == 0, $"cold {coldCache.Hits} hits {coldCache.Misses} misses; {new FileInfo(file).Length} bytes, " +
            $"{TokenCountCache.Read(file).Count} entries; warm {warmCache.Hits} hits {warmCache.Misses} misses");
        Assert.True(warmCache.Hits > 0);
        Assert.Contains(cold.Items, i => i.Kind == ContextItemKind.ProjectTree && i.State == ContextItemState.Trimmed);
        Assert.Contains(cold.Items, i => i.State == ContextItemState.Outline || i.State == ContextItemState.PathOnly);
        Assert.Equal(Describe(cold), Describe(warm));
        Assert.Equal(cold.Tightest.PromptTokens, warm.Tightest.PromptTokens);
        // Every count the warm plan took from the cache is the tokenizer's: the files, the trimmed structure line by line, the whole prompt.
        var counter = TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase);
        var checkedItems = warm.Items.Where(i => i.Text is not null && i.Kind != ContextItemKind.Specification && i.State is ContextItemState.Whole or ContextItemState.Outline or ContextItemState.Trimmed).ToList();
        Assert.True(checkedItems.Count > 3);
        Assert.Empty(checkedItems.Select(item => (item, expected: item.State == ContextItemState.Trimmed
                ? item.Text!.Split('\n')[..^1].Sum(line => counter.CountFresh(line + "\n"))
                : counter.CountFresh(item.Text!)))
            .Where(c => c.expected != c.item.Tokens).Select(c => $"{c.item.Kind} {c.item.Path} {c.item.State}: {c.item.Tokens} != {c.expected} [{c.item.Text}]"));
        var prompt = PromptTokenCounter.OpenAIReplyPriming + warm.Prompt.Messages.Sum(m => PromptTokenCounter.OpenAIPerMessage
            + m.Contents.OfType<Microsoft.Extensions.AI.TextContent>().Sum(c => counter.CountFresh(c.Text)));
        Assert.Equal(prompt, warm.Tightest.PromptTokens);
        Assert.True(File.Exists(Path.Combine(state, "context-index", TokenCountCache.FileName)));
    }

    private static List<string> Describe(ContextPlan plan) =>
        [.. plan.Items.Select(i => $"{i.Kind} {i.Path} {i.Tokens} {i.State} {i.Text} {string.Join("; ", i.Reasons)}")];

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
