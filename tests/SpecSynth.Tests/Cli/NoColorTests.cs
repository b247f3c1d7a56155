namespace SpecSynth.Tests.Cli;

/// <summary>Styling (bold) and the live display only on a terminal without NO_COLOR or --no-color; otherwise, and on a
/// non-terminal, no escape code at all.</summary>
public sealed class NoColorTests : IDisposable
{
    private const string Bold = "\u001b[1m";
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public NoColorTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Terminal_ShowsTheProviderInBold()
    {
        _cli.ErrorIsTerminal = true;

        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(Bold + "mock", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_WithNoColorVariable_HasNoBold()
    {
        _cli.ErrorIsTerminal = true;
        _cli.Env["NO_COLOR"] = "1";

        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("mock/mock-1: done", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Bold, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[3", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_WithNoColorFlag_HasNoBold()
    {
        _cli.ErrorIsTerminal = true;

        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--dry-run", "--no-color");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("mock/mock-1: done", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Bold, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_UnderNoColor_ShowsTheStagesAsPlainLines_WithoutAnyEscapeCode()
    {
        _cli.ErrorIsTerminal = true;
        _cli.Env["NO_COLOR"] = "1";

        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--check", "echo ok");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("check 'echo ok': passed", result.Error, StringComparison.Ordinal);
        Assert.Contains("writing 5 files to", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Bold, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Error);
    }

    [Fact]
    public async Task NotATerminal_GetsNoEscapeCodeAtAll()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--check", "echo ok");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("check 'echo ok': passed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.DoesNotContain('\u001b', result.Out);
    }
}
