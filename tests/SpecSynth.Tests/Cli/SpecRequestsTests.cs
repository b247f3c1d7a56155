using SpecSynth.Cli.Commands;

namespace SpecSynth.Tests.Cli;

/// <summary><see cref="SpecRequests"/>: the requests of a generate run, made when read, are the ones the CLI held before
/// (one per path, <c>-</c> as the standard input's text named <c>stdin.md</c>), in order, each time they are read.</summary>
public sealed class SpecRequestsTests
{
    [Fact]
    public void EachPath_IsOneRequest_AndDash_IsTheStdinText_NamedStdinMd()
    {
        var requests = new SpecRequests(["a.md", "-", "dir/b.md"], "# From stdin\n");

        GenerateRequest[] expected =
        [
            new() { SpecPath = "a.md" },
            new() { SpecText = "# From stdin\n", SpecName = GenerateCommand.StdinSpec },
            new() { SpecPath = "dir/b.md" },
        ];
        Assert.Equal(3, requests.Count);
        Assert.Equal(expected, requests);
        Assert.Equal(expected, Enumerable.Range(0, 3).Select(i => requests[i]));
        Assert.Equal(["a.md", "stdin.md", "dir/b.md"], requests.Names);
        Assert.Equal(["a.md", "stdin.md", "dir/b.md"], Enumerable.Range(0, 3).Select(i => requests.Names[i]));
        Assert.Equal(3, requests.Names.Count);
    }

    [Fact]
    public void ARequestRead_IsNotKept_ButMadeAgain_EqualEachTime()
    {
        var requests = new SpecRequests(["a.md"], null);

        Assert.NotSame(requests[0], requests[0]);
        Assert.Equal(requests[0], requests[0]);
        Assert.Null(requests[0].SpecText);
    }
}
