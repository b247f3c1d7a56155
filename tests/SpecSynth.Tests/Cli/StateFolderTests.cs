using System.Text.RegularExpressions;

namespace SpecSynth.Tests.Cli;

/// <summary>A state folder that cannot be created or written is the machine's problem, said in a sentence (exit 2), not
/// an internal error; and framework messages reach the user as sentences, never as resource keys.</summary>
public sealed partial class StateFolderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("cache", "stats")]
    [InlineData("cache", "clear")]
    [InlineData("generate", "--mock-llm")]
    public async Task StateFolderThatCannotBeCreated_IsExit2_NamingIt(string command, string sub)
    {
        // A state folder under a regular file cannot be created, also for root (for whom permissions do not apply).
        _dir.Write("blocker", "not a folder");
        var state = _dir.Combine("blocker", "state");
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = state });

        var spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

        var result = await cli.RunAsync(command == "generate" ? [command, spec, sub, "--out", "out"] : [command, sub]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(_dir.Combine("blocker"), result.Error, StringComparison.Ordinal);
        Assert.Contains("SPECSYNTH_HOME", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public async Task FrameworkMessages_AreSentences_NotResourceKeys()
    {
        // The real process (its runtimeconfig decides whether .NET formats its messages): a spec path under a file.
        _dir.Write("blocker", "not a folder");
        var result = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("blocker", "state") },
            ["cache", "stats"]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotMatch(ResourceKey(), result.Error);
        Assert.Contains("Could not find a part of the path", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A .NET resource key such as <c>IO_PathNotFound_Path</c> or <c>Overflow_TimeSpanTooLong</c>.</summary>
    [GeneratedRegex(@"\b(?=\w*[a-z])[A-Z][A-Za-z]*_[A-Z][A-Za-z]*(_[A-Za-z]+)*\b")]
    internal static partial Regex ResourceKey();
}
