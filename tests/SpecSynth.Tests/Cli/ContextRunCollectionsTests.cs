using SpecSynth.Cli;

namespace SpecSynth.Tests.Cli;

public sealed class ContextRunCollectionsTests
{
    [Theory]
    [InlineData(true, "context", "a.md")]
    [InlineData(true, "context", "a.md", "--project", "p", "--json")]
    [InlineData(false, "generate", "a.md")]
    [InlineData(false, "index", "--project", "p")]
    [InlineData(true, "--log-level", "debug", "context", "a.md")]
    [InlineData(false, "--version")]
    [InlineData(false)]
    public void Applies_OnlyToTheContextCommand(bool expected, params string[] args) =>
        Assert.Equal(expected, ContextRunCollections.Applies(args));
}
