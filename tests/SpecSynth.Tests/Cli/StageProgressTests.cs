namespace SpecSynth.Tests.Cli;

/// <summary>After the model answered, generate reports validating, the check (with its last output line), each repair
/// round and writing on stderr (nothing with --json), and a failed run's error leads with the real cause.</summary>
public sealed class StageProgressTests : IDisposable
{
    private const string FailingCheck = "echo building; echo almost there; false";
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public StageProgressTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FailingCheck_IsReportedStageByStage_AndTheErrorLeadsWithIt()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--check", FailingCheck, "--repair-rounds", "1");

        Assert.Equal(5, result.ExitCode);
        var lines = result.Error.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int Index(string prefix) => lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(Index("validating 5 files") >= 0, result.Error);
        Assert.True(Index($"check '{FailingCheck}': running") > Index("validating 5 files"), result.Error);
        Assert.Matches($@"check '{System.Text.RegularExpressions.Regex.Escape(FailingCheck)}': failed \(exit 1\), \d+\.\d s · last output: almost there", result.Error);
        Assert.True(Index("repair round 1 of 1: asking mock/mock-1 to fix the failed check") > Index($"check '{FailingCheck}': failed"), result.Error);
        Assert.True(Index("validating 5 files after repair round 1") > Index("repair round 1 of 1"), result.Error);
        var error = lines.Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith($"error: The check '{FailingCheck}' failed (exit 1): almost there.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not validated", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }

    [Fact]
    public async Task PassingCheck_ReportsTheCheckAndWriting()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--check", "echo ok");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"check 'echo ok': passed, \d+\.\d s\n", result.Error.Replace("\r", "", StringComparison.Ordinal));
        Assert.Contains($"writing 5 files to {_dir.Combine("project", "out")}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ReportsNoStages()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--check", FailingCheck, "--repair-rounds", "1", "--json");

        Assert.Equal(5, result.ExitCode);
        var lines = result.Error.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("validating", StringComparison.Ordinal) || l.StartsWith("check '", StringComparison.Ordinal)
            || l.StartsWith("repair round", StringComparison.Ordinal) || l.StartsWith("writing", StringComparison.Ordinal));
        Assert.Contains("\"exit_code\": 5", result.Out, StringComparison.Ordinal);
    }
}
