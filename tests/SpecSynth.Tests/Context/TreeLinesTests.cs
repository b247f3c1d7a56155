using SpecSynth.Context;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context;

public sealed class TreeLinesTests
{
    /// <summary>Paths with what makes byte-pair pieces run long: punctuation before the line break, digits, capitals, spaces
    /// inside, non-ASCII letters, emoji, contractions, a special token's text.</summary>
    private static readonly string[] Odd =
    [
        "a", "a.b", "a/b/c.js", "deps/v8/src/objects/js-objects-inl.h", "doc/api/http.md", "x)", "y~", "z/", "z//", "q!!!",
        "don't/we'll.txt", "CamelCase/HTTPServer2.cs", "1234567/89.txt", "path with spaces/file name .txt", "trailing space ",
        "tab\tinside", "ünïcödé/日本語/файл.txt", "emoji/😀.md", "<|endoftext|>/x", "-dash", "_under", ".hidden/.x", "'quote", "#hash",
    ];

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void LinesOfAStructure_SumToTheWholeCount_WhenAddsUpSaysSo(string encoding)
    {
        var counter = TiktokenCounter.ForEncoding(encoding);
        var paths = Enumerable.Range(0, 3000).Select(i => i % 7 == 0 ? Odd[i % Odd.Length] : $"dir{i % 13}/sub-{i % 5}/file_{i}.{(i % 2 == 0 ? "cs" : "js")}")
            .Concat(Odd).Order(StringComparer.Ordinal).ToList();

        var lines = TreeLines.Count(paths, counter);

        Assert.True(TreeLines.AddsUp(paths, counter));
        Assert.Equal(counter.Count(string.Join('\n', paths) + "\n"), lines.Sum());
        Assert.Equal(paths.Select(p => counter.Count(p + "\n")), lines);
    }

    [Theory]
    [InlineData(" leading space")]
    [InlineData("/rooted")]
    [InlineData("\nnewline")]
    public void ALineStartingWithWhiteSpaceOrSlash_IsNotSummed(string path)
    {
        Assert.False(TreeLines.AddsUp(["a.txt", path], TiktokenCounter.ForEncoding("o200k_base")));
        // The first line may start with anything: nothing comes before it.
        Assert.True(TreeLines.AddsUp([path, "a.txt"], TiktokenCounter.ForEncoding("o200k_base")));
    }

    [Fact]
    public void AnEstimate_IsNeverSummed()
    {
        Assert.False(TreeLines.AddsUp(["a.txt", "b.txt"], new CalibratedEstimator("claude", "claude-sonnet-4")));
    }
}
