using SpecSynth.Cli;

namespace SpecSynth.Tests.Cli;

public sealed class ThreadPoolSpinningTests
{
    [Theory]
    [InlineData(true, "generate", "a.md", "b.md")]
    [InlineData(true, "generate", "specs/a.md", "--project", "p", "specs/B.MD", "--concurrency", "32")]
    [InlineData(false, "generate", "a.md")]
    [InlineData(false, "generate", "a.md", "--project", "p", "--out", "out")]
    [InlineData(false, "context", "a.md", "b.md")]
    [InlineData(false, "review", "a.md", "b.md")]
    [InlineData(false, "generate")]
    [InlineData(true, "--verbose", "generate", "a.md", "b.md")]
    [InlineData(true, "--no-color", "true", "--log-level", "debug", "generate", "a.md", "b.md")]
    [InlineData(true, "--log-level=warning", "--verbose:false", "generate", "a.md", "b.md")]
    [InlineData(false, "--verbose", "generate", "a.md")]
    [InlineData(false, "--log-level", "debug", "context", "a.md", "b.md")]
    [InlineData(false, "--unknown", "generate", "a.md", "b.md")]
    public void Applies_OnlyToAGenerateRunOfTwoOrMoreMarkdownSpecs(bool expected, params string[] args) =>
        Assert.Equal(expected, ThreadPoolSpinning.Applies(args));
}
