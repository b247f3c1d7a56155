namespace SpecSynth.Tests.Cli;

/// <summary>Typos and out-of-range numbers in flags are a usage error (exit 2) naming the flag and its range, before
/// anything runs: never a crash, an internal error, or a failure after the model was paid.</summary>
public sealed class NumericFlagTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public NumericFlagTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("generate", "--concurrency", "abc", "from 1 to 64")]
    [InlineData("generate", "--concurrency", "0", "from 1 to 64")]
    [InlineData("generate", "--repair-rounds", "99999999999", "from 0 to 10")]
    [InlineData("generate", "--repair-rounds", "-1", "from 0 to 10")]
    [InlineData("generate", "--check-timeout", "1.5", "from 1 to 86,400")]
    [InlineData("generate", "--check-timeout", "2147483647", "from 1 to 86,400")]
    [InlineData("generate", "--history-budget", "x", "from 256 to 10,000,000")]
    [InlineData("generate", "--history-budget", "99999999999", "from 256 to 10,000,000")]
    [InlineData("generate", "--max-cost", "7.9e27", "at most 1000000")]
    [InlineData("generate", "--max-cost", "7900000000000000000000000000", "at most 1000000")]
    [InlineData("generate", "--max-cost", "NaN", "at most 1000000")]
    [InlineData("context", "--budget", "99999999999", "from 1 to 10,000,000")]
    [InlineData("context", "--budget", "abc", "from 1 to 10,000,000")]
    public async Task BadNumber_IsExit2_NamingTheFlagAndItsRange_AndWritesNothing(string command, string flag, string value, string range)
    {
        var args = command == "generate"
            ? new[] { "generate", _spec, "--mock-llm", "--out", "out", "--check", "true", flag, value }
            : ["context", _spec, "--mock-llm", flag, value];

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {flag} must be", result.Error, StringComparison.Ordinal);
        Assert.Contains(range, result.Error, StringComparison.Ordinal);
        Assert.Contains($"got '{value}'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
        Assert.False(Directory.Exists(_dir.Combine("state")), "nothing ran, so no state was created");
    }

    [Theory]
    [InlineData("--concurrency", "64")]
    [InlineData("--repair-rounds", "0")]
    [InlineData("--check-timeout", "86400")]
    [InlineData("--history-budget", "256")]
    [InlineData("--max-cost", "2.50")]
    public async Task NumbersAtTheEdgeOfTheRange_AreAccepted(string flag, string value)
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--dry-run", flag, value);

        Assert.True(result.ExitCode == 0, result.Error);
    }
}
