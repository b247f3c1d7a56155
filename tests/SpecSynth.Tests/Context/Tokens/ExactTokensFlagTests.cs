using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Context.Tokens;

public sealed class ExactTokensFlagTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public ExactTokensFlagTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Generate_AcceptsExactTokens_AndDocumentsIt()
    {
        var help = await _cli.RunAsync("generate", "--help");
        Assert.Contains("--exact-tokens", help.Out, StringComparison.Ordinal);

        // The mock has no counting endpoint: the flag changes nothing and the run succeeds.
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--dry-run", "--json", "--exact-tokens");
        Assert.Equal(0, result.ExitCode);
    }
}
