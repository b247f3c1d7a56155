using System.Text;
using System.Text.Json;

namespace SpecSynth.Tests.Cli;

/// <summary><c>specsynth generate -</c> reads the spec from standard input and calls it <c>stdin.md</c>.</summary>
public sealed class StdinSpecTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;

    public StdinSpecTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Dash_ReadsTheSpecFromStdin_AndNamesItStdinMd()
    {
        _cli.Stdin = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md"));

        var result = await _cli.RunAsync("generate", "-", "--mock-llm", "--out", "out", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("stdin.md", doc.RootElement.GetProperty("spec").GetString());
        // The example spec read from stdin is answered with the example project, as the file is.
        Assert.True(File.Exists(_dir.Combine("project", "out", "TodoCli.csproj")));
    }

    [Fact]
    public async Task Dash_WithNothingPipedIn_IsExit2_SayingHow()
    {
        _cli.Stdin = null;

        var result = await _cli.RunAsync("generate", "-", "--mock-llm", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cat spec.md | specsynth generate -", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("not-utf8")]
    public async Task Dash_WithEmptyOrInvalidInput_IsExit2_NamingStandardInput(string input)
    {
        _cli.Stdin = input == "empty" ? [] : [0x23, 0x20, 0xC3, 0x28, 0x41];

        var result = await _cli.RunAsync("generate", "-", "--mock-llm", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("(standard input)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashTwice_IsExit2()
    {
        _cli.Stdin = Encoding.UTF8.GetBytes("# Spec\n\n- it works\n");

        var result = await _cli.RunAsync("generate", "-", "-", "--mock-llm", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("can be given once", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dash_AmongSeveralSpecs_IsNamedStdinMd_InItsPlace()
    {
        var spec = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md"));
        File.WriteAllBytes(_dir.Combine("project", "todo.md"), spec);
        _cli.Stdin = spec;

        var result = await _cli.RunAsync("generate", "todo.md", "-", "--mock-llm", "--out", "out", "--dry-run", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(["todo.md", "stdin.md"], doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("spec").GetString()));
    }
}
