using SpecSynth.Cli;

namespace SpecSynth.Tests.Cli;

public sealed class CommandPositionTests
{
    [Theory]
    [InlineData(0, "index", "--project", "p")]
    [InlineData(1, "--verbose", "index")]
    [InlineData(2, "--verbose", "false", "index")]
    [InlineData(2, "--log-level", "debug", "index")]
    [InlineData(3, "--log-level:info", "--no-color", "--verbose", "index")]
    [InlineData(0, "--version")]
    [InlineData(2, "--log-level", "debug")]
    [InlineData(1, "--log-level")]
    [InlineData(0)]
    public void Of_SkipsTheRootsGlobalOptionsAndTheirValues(int expected, params string[] args) =>
        Assert.Equal(expected, CommandPosition.Of(args));

    [Fact]
    public void Names_TheCommandAfterGlobalOptionsOnly()
    {
        Assert.True(CommandPosition.Names(["--log-level", "debug", "index", "--background"], "index"));
        Assert.False(CommandPosition.Names(["context", "index"], "index"));
        Assert.False(CommandPosition.Names([], "index"));
    }
}
