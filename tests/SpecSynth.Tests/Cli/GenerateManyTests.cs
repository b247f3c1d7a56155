using System.Text.Json;

namespace SpecSynth.Tests.Cli;

public sealed class GenerateManyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _todo = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public GenerateManyTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SeveralSpecs_AreGeneratedConcurrently_EachWrittenAsItsOwnBatch()
    {
        var weather = _dir.Write("weather.md", "# Weather Station\n\n## Requirements\n\n- Read the sensor every minute\n");

        var result = await _cli.RunAsync("generate", _todo, weather, "--mock-llm", "--out", "out", "--json", "--concurrency", "2");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("succeeded").GetInt32());
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([_todo, weather], results.Select(r => r.GetProperty("spec").GetString()));
        Assert.True(File.Exists(_dir.Combine("project", "out", "TodoCli.csproj")));
        Assert.True(File.Exists(_dir.Combine("project", "out", "WeatherStation.csproj")));
        Assert.NotEqual(results[0].GetProperty("journal_run").GetString(), results[1].GetProperty("journal_run").GetString());

        Assert.Equal(0, (await _cli.RunAsync("undo")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("undo")).ExitCode);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")) && Directory.EnumerateFileSystemEntries(_dir.Combine("project", "out")).Any());
    }

    [Fact]
    public async Task ManySpecs_GivenInAResponseFile_OneALine_AreGeneratedInItsOrder()
    {
        // The README's way to give thousands of specs without as many arguments: a path with spaces in double quotes,
        // a relative path from the working folder, a comment line.
        var weather = _dir.Write("spec folder/weather station.md", "# Weather Station\n\n## Requirements\n\n- Read the sensor every minute\n");
        _dir.Write("project/specs/notes.md", "# Notes\n\n## Requirements\n\n- Keep notes\n");
        var list = _dir.Write("specs.txt", $"\"{weather}\"\n# the todo app next\n{_todo}\nspecs/notes.md\n");

        var result = await _cli.RunAsync("generate", "@" + list, "--mock-llm", "--out", "out", "--json", "--concurrency", "3");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(3, doc.RootElement.GetProperty("succeeded").GetInt32());
        Assert.Equal([weather, _todo, "specs/notes.md"],
            doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("spec").GetString()));
        Assert.True(File.Exists(_dir.Combine("project", "out", "WeatherStation.csproj")));
        Assert.True(File.Exists(_dir.Combine("project", "out", "TodoCli.csproj")));
    }

    [Fact]
    public async Task ABadSpecAmongMany_FailsBeforeAnyRequest_WritingNothing()
    {
        var empty = _dir.Write("empty.md", "");
        var result = await _cli.RunAsync("generate", _todo, empty, "--mock-llm", "--out", "out");
        Assert.Equal(2, result.ExitCode);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }

    [Fact]
    public async Task FailedSpecs_AreReportedPerSpec_WithTheFirstFailuresExitCode()
    {
        File.WriteAllText(_dir.Combine("project", "specsynth.toml"), "[llm.mock]\nmax_tokens = 50\n");
        var other = _dir.Write("other.md", "# Other\n\n- do it\n");

        var result = await _cli.RunAsync("generate", _todo, other, "--mock-llm", "--out", "out", "--json");

        Assert.Equal(5, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("failed").GetInt32());
        Assert.All(doc.RootElement.GetProperty("results").EnumerateArray(),
            r => Assert.Equal("unusable_output", r.GetProperty("error").GetProperty("kind").GetString()));
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }

    [Fact]
    public async Task ConcurrencyOutOfRange_IsUsageError()
    {
        Assert.Equal(2, (await _cli.RunAsync("generate", _todo, "--mock-llm", "--concurrency", "0")).ExitCode);
    }
}
