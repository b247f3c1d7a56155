using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SpecSynth.Context.Index;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>The remembered parse (<see cref="SpecMemo"/>) gives what <see cref="SpecParser"/> gives, and only changes the time:
/// an unchanged spec is read back, anything else (an edit, a missing, truncated, corrupted or foreign memo, two writers at
/// once) parses as before.</summary>
public sealed class SpecMemoTests
{
    public static TheoryData<string> CorpusFiles() => new(Corpus());

    // Every spec the repository's tests and docs know: the real specs, the handwritten ones, the examples and the docs.
    private static List<string> Corpus() =>
        new[] { TestPaths.RealSpecs, TestPaths.HandwrittenSpecs, Path.Combine(TestPaths.RepoRoot, "examples"), Path.Combine(TestPaths.RepoRoot, "docs") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.md", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => new FileInfo(f).Length <= SpecMemo.MaxTextLength)
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void The_corpus_holds_the_real_specs_and_the_examples()
    {
        var files = Corpus();
        Assert.True(files.Count(f => f.StartsWith(TestPaths.RealSpecs, StringComparison.Ordinal)) >= 27);
        Assert.Contains(files, f => f.Contains($"{Path.DirectorySeparatorChar}examples{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task A_remembered_parse_equals_the_parse(string file)
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", await File.ReadAllTextAsync(file));
        var folder = dir.Combine("memo");
        var expected = await SpecParser.ParseFileAsync(spec);

        var first = SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var memo = Assert.Single(Directory.GetFiles(folder));
        var second = SpecMemo.ParseFile(spec, folder, CancellationToken.None);

        Assert.Equal(Json(expected), Json(first));
        Assert.Equal(Json(expected), Json(second));
        Assert.Equal(expected.RawText, second.RawText);
        Assert.Equal(Json(UnderstoodSpec.From(expected, null, null)), Json(UnderstoodSpec.From(second, null, null)));
        Assert.Equal(Json(UnderstoodSpec.From(expected, "python", "fastapi")), Json(UnderstoodSpec.From(second, "python", "fastapi")));
        foreach (var (key, value) in expected.FrontMatter)
        {
            Assert.Equal(value, second.FrontMatter[key.ToUpperInvariant()]);
        }
        Assert.EndsWith(SpecMemo.Extension, memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_specs_own_lines_are_stored_as_places_in_it_not_copied()
    {
        using var dir = new TempDir();
        const string Secret = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        var spec = dir.Write("spec.md", $"---\ntitle: Uploader\n---\n# Uploader\n\nA Python tool.\n\n## Setup\n\nRun it with\n{Secret}\n<!-- a note -->\nand go.\n\n"
            + $"## Requirements\n\n- FR-001: upload files using {Secret}\n");
        var folder = dir.Combine("memo");

        var parsed = SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var read = SpecMemo.ParseFile(spec, folder, CancellationToken.None);

        Assert.Contains(Secret, parsed.Sections.Single(s => s.Heading == "Setup").Body, StringComparison.Ordinal);
        Assert.Equal(Json(parsed), Json(read));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, SpecMemo.FileName(spec)));
        Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(Secret)), "the spec's line was copied into the memo");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(Secret)), "the spec's line was copied into the memo");
    }

    [Fact]
    public async Task An_unchanged_spec_is_read_from_its_memo()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", "# Todo API\n\n## Requirements\n\n- FR-001: list todos\n");
        var folder = dir.Combine("memo");
        var parsed = SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var memo = Path.Combine(folder, SpecMemo.FileName(spec));
        // A memo for the same key with another title: the title read back is the memo's, so the parse was not run.
        await File.WriteAllBytesAsync(memo, SpecificationCodec.EncodeMemo(parsed with { Title = "From the memo" }, SpecMemo.Key(parsed.RawText, spec)));

        var read = SpecMemo.ParseFile(spec, folder, CancellationToken.None);

        Assert.Equal("From the memo", read.Title);
        Assert.Equal("Todo API", parsed.Title);
    }

    [Fact]
    public async Task A_memo_of_the_earlier_format_is_ignored_and_rewritten()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", "# Todo API\n\n## Requirements\n\n- FR-001: list todos\n");
        var folder = dir.Combine("memo");
        var parsed = SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var memo = Path.Combine(folder, SpecMemo.FileName(spec));
        var current = await File.ReadAllBytesAsync(memo);
        // A whole memo for the same key, with another title, its checksum right, under the first format's magic
        // ("SPCMEM01": fixed-width numbers, UTF-16 strings): read as this format it would be misread, so it must not be read.
        var old = SpecificationCodec.EncodeMemo(parsed with { Title = "From the old memo" }, SpecMemo.Key(parsed.RawText, spec));
        Encoding.ASCII.GetBytes("SPCMEM01").CopyTo(old, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(old.AsSpan(old.Length - 8), IndexChecksum.Of(old.AsSpan(0, old.Length - 8)));
        await File.WriteAllBytesAsync(memo, old);

        var read = SpecMemo.ParseFile(spec, folder, CancellationToken.None);

        Assert.Equal("SPCMEM02", Encoding.ASCII.GetString(current, 0, 8));
        Assert.Equal("Todo API", read.Title);
        Assert.Equal(Json(parsed), Json(read));
        Assert.Equal(current, await File.ReadAllBytesAsync(memo));
    }

    [Fact]
    public async Task An_edited_spec_parses_again_and_rewrites_its_memo()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", "# Todo API\n\nA Python service.\n\n## Requirements\n\n- FR-001: list todos\n");
        var folder = dir.Combine("memo");
        SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var memo = Path.Combine(folder, SpecMemo.FileName(spec));
        var before = await File.ReadAllBytesAsync(memo);

        await File.WriteAllTextAsync(spec, "# Notes API\n\nA Go service.\n\n## Requirements\n\n- FR-001: list notes\n- FR-002: delete notes\n");
        var edited = SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var again = SpecMemo.ParseFile(spec, folder, CancellationToken.None);

        Assert.Equal(Json(await SpecParser.ParseFileAsync(spec)), Json(edited));
        Assert.Equal(Json(edited), Json(again));
        Assert.Equal("Notes API", again.Title);
        Assert.Equal(2, again.Requirements.Count);
        Assert.NotEqual(before, await File.ReadAllBytesAsync(memo));
    }

    [Fact]
    public async Task A_memo_of_another_spec_path_is_not_used()
    {
        using var dir = new TempDir();
        const string Text = "# Same text\n\n## Requirements\n\n- list todos\n";
        var a = dir.Write("a/spec.md", Text);
        var b = dir.Write("b/other.md", Text);
        var folder = dir.Combine("memo");
        SpecMemo.ParseFile(a, folder, CancellationToken.None);
        // b's memo file now holds a's memo: same text, another path (the file-name fallback of a title differs by path).
        File.Copy(Path.Combine(folder, SpecMemo.FileName(a)), Path.Combine(folder, SpecMemo.FileName(b)), overwrite: true);

        var read = SpecMemo.ParseFile(b, folder, CancellationToken.None);

        Assert.Equal(b, read.SourcePath);
        Assert.Equal(Json(await SpecParser.ParseFileAsync(b)), Json(read));
    }

    [Fact]
    public async Task A_truncated_or_corrupted_memo_parses_as_before()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", await File.ReadAllTextAsync(Path.Combine(TestPaths.RealSpecs, "speckit-hello-world-spec.md")));
        var folder = dir.Combine("memo");
        var expected = Json(await SpecParser.ParseFileAsync(spec));
        SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        var memo = Path.Combine(folder, SpecMemo.FileName(spec));
        var good = await File.ReadAllBytesAsync(memo);
        var text = (await SpecParser.ParseFileAsync(spec)).RawText;
        Assert.NotNull(SpecificationCodec.DecodeMemo(good, SpecMemo.Key(text, spec), text, spec));

        var step = Math.Max(1, good.Length / 97);
        for (var length = 0; length < good.Length; length += step)
        {
            await File.WriteAllBytesAsync(memo, good[..length]);
            Assert.Equal(expected, Json(SpecMemo.ParseFile(spec, folder, CancellationToken.None)));
        }
        for (var at = 0; at < good.Length; at += step)
        {
            var flipped = (byte[])good.Clone();
            flipped[at] ^= 0x20;
            await File.WriteAllBytesAsync(memo, flipped);
            Assert.Equal(expected, Json(SpecMemo.ParseFile(spec, folder, CancellationToken.None)));
        }
        await File.WriteAllBytesAsync(memo, [.. good, 0]);
        Assert.Equal(expected, Json(SpecMemo.ParseFile(spec, folder, CancellationToken.None)));
        // Each bad memo was replaced by a good one again.
        Assert.Equal(good, await File.ReadAllBytesAsync(memo));
    }

    [Fact]
    public async Task A_memo_folder_that_cannot_be_written_only_costs_the_parse()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", "# Todo API\n\n- list todos\n");
        var blocked = dir.Write("memo", "a file where the folder would be");

        var parsed = SpecMemo.ParseFile(spec, blocked, CancellationToken.None);

        Assert.Equal(Json(await SpecParser.ParseFileAsync(spec)), Json(parsed));
    }

    [Fact]
    public async Task Without_a_folder_it_is_the_parse_and_writes_nothing()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", "# Todo API\n\n- list todos\n");

        var parsed = SpecMemo.ParseFile(spec, null, CancellationToken.None);

        Assert.Equal(Json(await SpecParser.ParseFileAsync(spec)), Json(parsed));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task A_spec_longer_than_MaxTextLength_is_parsed_each_time()
    {
        using var dir = new TempDir();
        var body = string.Concat(Enumerable.Range(0, (SpecMemo.MaxTextLength / 20) + 1).Select(i => $"- requirement number {i:D6} here\n"));
        var spec = dir.Write("spec.md", "# Big\n\n## Requirements\n\n" + body);
        var folder = dir.Combine("memo");

        var parsed = SpecMemo.ParseFile(spec, folder, CancellationToken.None);

        Assert.True(parsed.RawText.Length > SpecMemo.MaxTextLength);
        Assert.Equal(Json(await SpecParser.ParseFileAsync(spec)), Json(parsed));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_bad_spec_fails_as_the_parse_does_even_with_a_memo()
    {
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", "# Todo API\n\n- list todos\n");
        var folder = dir.Combine("memo");
        SpecMemo.ParseFile(spec, folder, CancellationToken.None);
        await File.WriteAllTextAsync(spec, "  \n");

        var expected = await Assert.ThrowsAsync<SpecSynthException>(() => SpecParser.ParseFileAsync(spec));
        var actual = Assert.Throws<SpecSynthException>(() => SpecMemo.ParseFile(spec, folder, CancellationToken.None));
        var missing = Assert.Throws<SpecSynthException>(() => SpecMemo.ParseFile(dir.Combine("none.md"), folder, CancellationToken.None));

        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal((await Assert.ThrowsAsync<SpecSynthException>(() => SpecParser.ParseFileAsync(dir.Combine("none.md")))).Message, missing.Message);
    }

    [Fact]
    public async Task Writers_and_readers_at_once_all_get_the_parse()
    {
        using var dir = new TempDir();
        var specs = Enumerable.Range(0, 2).Select(i => dir.Write($"spec{i}.md", $"# Service {i}\n\nA Python service.\n\n## Requirements\n\n- FR-00{i}: do {i}\n")).ToList();
        var folder = dir.Combine("memo");
        var expected = new List<string>();
        foreach (var spec in specs)
        {
            expected.Add(Json(await SpecParser.ParseFileAsync(spec)));
        }

        var runs = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
            (i % 2, Json(SpecMemo.ParseFile(specs[i % 2], folder, CancellationToken.None))))));

        Assert.All(runs, run => Assert.Equal(expected[run.Item1], run.Item2));
        Assert.Equal(2, Directory.GetFiles(folder).Length);
        Assert.Equal(expected[1], Json(SpecMemo.ParseFile(specs[1], folder, CancellationToken.None)));
    }

    [Fact]
    public void At_most_MaxFiles_memos_are_kept()
    {
        using var dir = new TempDir();
        var folder = dir.Combine("memo");
        for (var i = 0; i < SpecMemo.MaxFiles + 4; i++)
        {
            SpecMemo.ParseFile(dir.Write($"s/{i}.md", $"# Spec {i}\n\n- item {i}\n"), folder, CancellationToken.None);
        }

        Assert.Equal(SpecMemo.MaxFiles, Directory.GetFiles(folder).Length);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
