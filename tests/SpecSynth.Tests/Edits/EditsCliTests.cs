using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Edits;

/// <summary>The offline demo of an edit: the mock answers a spec that changes an existing file with a SEARCH/REPLACE block,
/// which <c>--dry-run</c> shows as a diff, a run applies, <c>undo</c> restores, and the response cache replays.</summary>
public sealed class EditsCliTests : IDisposable
{
    private const string OldUsage = "usage: todo add <text> | todo list | todo done <id> | todo remove <id>";
    private const string NewUsage = "usage: todo add <text> | list | done <id> | remove <id>";
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _todo = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");
    private readonly string _change = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "change-usage.md");

    public EditsCliTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    private string Program => File.ReadAllText(_dir.Combine("project", "out", "src", "Program.cs"));

    [Fact]
    public async Task TheMockEditsAnExistingFile_DryRunShowsTheDiff_TheCacheReplaysTheEdit_AndUndoRestores()
    {
        var first = await _cli.RunAsync("generate", _todo, "--mock-llm", "--out", "out");
        Assert.True(first.ExitCode == 0, first.Error);
        var before = Program;

        var dry = await _cli.RunAsync("generate", _change, "--mock-llm", "--out", "out", "--edit-format", "edit", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Contains("-    stderr.WriteLine(\"" + OldUsage + "\");", dry.Out, StringComparison.Ordinal);
        Assert.Contains("+    stderr.WriteLine(\"" + NewUsage + "\");", dry.Out, StringComparison.Ordinal);
        Assert.Equal(before, Program);

        // The dry run's reply is in the response cache: the real run replays it and applies it again, exactly.
        var run = await _cli.RunAsync("generate", _change, "--mock-llm", "--out", "out", "--edit-format", "edit", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(before.Replace(OldUsage, NewUsage, StringComparison.Ordinal), Program);
        using (var json = JsonDocument.Parse(run.Out))
        {
            Assert.True(json.RootElement.GetProperty("cache_hit").GetBoolean());
            Assert.Equal("modified", Assert.Single(json.RootElement.GetProperty("files").EnumerateArray()).GetProperty("action").GetString());
        }

        var undo = await _cli.RunAsync("undo");
        Assert.True(undo.ExitCode == 0, undo.Error);
        Assert.Equal(before, Program);
    }

    [Fact]
    public async Task InWholeMode_TheMockSendsTheWholeFile_WithTheSameResult()
    {
        var first = await _cli.RunAsync("generate", _todo, "--mock-llm", "--out", "out");
        Assert.True(first.ExitCode == 0, first.Error);
        var before = Program;

        var run = await _cli.RunAsync("generate", _change, "--mock-llm", "--out", "out", "--edit-format", "whole");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(before.Replace(OldUsage, NewUsage, StringComparison.Ordinal), Program);
    }

    [Fact]
    public async Task EditsConfig_IsValidated_AndShown()
    {
        _dir.Write("project/specsynth.toml", "[edits]\nmode = \"edit\"\nthreshold_lines = 300\n");
        var shown = await _cli.RunAsync("config", "show");
        var json = await _cli.RunAsync("config", "show", "--json");
        _dir.Write("project/specsynth.toml", "[edits]\nmode = \"diff\"\n");
        var badMode = await _cli.RunAsync("config", "show");
        _dir.Write("project/specsynth.toml", "[edits]\nthreshold_lines = 0\n");
        var badThreshold = await _cli.RunAsync("config", "show");
        var badFlag = await _cli.RunAsync("generate", _todo, "--mock-llm", "--edit-format", "diff", "--dry-run");

        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("[edits]\nmode = \"edit\"\nthreshold_lines = 300", shown.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(300, doc.RootElement.GetProperty("edits").GetProperty("threshold_lines").GetInt32());
        Assert.Equal(2, badMode.ExitCode);
        Assert.Contains("'edits.mode' must be \"auto\", \"whole\" or \"edit\"", badMode.Error, StringComparison.Ordinal);
        Assert.Equal(2, badThreshold.ExitCode);
        Assert.Contains("'edits.threshold_lines' must be a whole number of lines, at least 1", badThreshold.Error, StringComparison.Ordinal);
        Assert.Equal(2, badFlag.ExitCode);
    }
}
