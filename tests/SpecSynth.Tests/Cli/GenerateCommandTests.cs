using System.Text.Json;

namespace SpecSynth.Tests.Cli;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public GenerateCommandTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task MockGenerate_WritesTheExampleProject_AndUndoRemovesIt()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out");

        Assert.Equal(0, result.ExitCode);
        var outDir = _dir.Combine("project", "out");
        Assert.True(File.Exists(Path.Combine(outDir, "TodoCli.csproj")), result.Error);
        Assert.Contains("TodoStore", File.ReadAllText(Path.Combine(outDir, "src", "TodoStore.cs")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "README.md")));
        Assert.Contains("created", result.Error, StringComparison.Ordinal);

        var undo = await _cli.RunAsync("undo");
        Assert.Equal(0, undo.ExitCode);
        Assert.False(File.Exists(Path.Combine(outDir, "TodoCli.csproj")));
        Assert.False(File.Exists(Path.Combine(outDir, "src", "Program.cs")));
    }

    [Fact]
    public async Task DryRun_PrintsADiff_AndWritesNothing()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("+++ b/src/Program.cs", result.Out, StringComparison.Ordinal);
        Assert.Contains("--- /dev/null", result.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }

    [Fact]
    public async Task Json_DescribesFilesProviderUsageAndConfidence()
    {
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("written", root.GetProperty("status").GetString());
        Assert.Equal("mock", root.GetProperty("provider").GetString());
        Assert.Equal("stop", root.GetProperty("stop_reason").GetString());
        Assert.True(root.GetProperty("usage").GetProperty("output_tokens").GetInt64() > 0);
        var paths = root.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["README.md", "TodoCli.csproj", "src/Program.cs", "src/TodoItem.cs", "src/TodoStore.cs"], paths.Order(StringComparer.Ordinal));
        Assert.All(root.GetProperty("files").EnumerateArray(), f => Assert.Equal("created", f.GetProperty("action").GetString()));
        var confidence = root.GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0.01, 1);
        Assert.NotEmpty(root.GetProperty("confidence_evidence").EnumerateArray());
    }

    [Fact]
    public async Task SecondRun_ReportsUnchangedFiles()
    {
        Assert.Equal(0, (await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out")).ExitCode);
        var again = await _cli.RunAsync("generate", _spec, "--mock-llm", "--out", "out", "--json");
        using var doc = JsonDocument.Parse(again.Out);
        Assert.All(doc.RootElement.GetProperty("files").EnumerateArray(), f => Assert.Equal("unchanged", f.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task EmptySpec_IsExit2_WithAClearMessage()
    {
        var spec = _dir.Write("empty.md", "  \n");
        var result = await _cli.RunAsync("generate", spec, "--mock-llm", "--out", "out");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("empty", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }

    [Fact]
    public async Task MissingSpec_IsExit2_AndJsonErrorOnStdout()
    {
        var result = await _cli.RunAsync("generate", "nope.md", "--mock-llm", "--json");
        Assert.Equal(2, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("bad_input", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task InvalidProjectConfig_IsExit2_NamingFileAndLine()
    {
        File.WriteAllText(_dir.Combine("project", "specsynth.toml"), "[llm.claude]\nmodel = \"x\"\ncolour = \"blue\"\n");
        var result = await _cli.RunAsync("generate", _spec, "--mock-llm");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("specsynth.toml:3:", result.Error, StringComparison.Ordinal);
        Assert.Contains("colour", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFlag_IsExit2()
    {
        var result = await _cli.RunAsync("generate", _spec, "--frobnicate");
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task ProviderWithoutKey_IsExit3_NamingTheVariable_BeforeAnyRequest()
    {
        var result = await _cli.RunAsync("generate", _spec, "--provider", "claude");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("ANTHROPIC_API_KEY", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_IsExit130_AndWritesNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var result = await _cli.RunAsync(cts.Token, "generate", _spec, "--mock-llm", "--out", "out");
        Assert.Equal(130, result.ExitCode);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }
}
