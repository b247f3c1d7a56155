using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Config;

/// <summary><c>[context] index_build</c> and <c>specsynth index</c> in-process: the in-process app (no process entry to
/// start a child) builds the index inline whatever the setting, so a later run reads it.</summary>
public sealed class ContextIndexBuildConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Project => _dir.Combine("project");

    private CliRunner Cli => new(Project, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

    [Theory]
    [InlineData("[context]\nindex_build = \"sometimes\"\n")]
    [InlineData("[context]\nindex_build = true\n")]
    public async Task InvalidValues_AreExit2_NamingTheKey(string toml)
    {
        _dir.Write("project/specsynth.toml", toml);

        var result = await Cli.RunAsync("config", "show");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'context.index_build' must be \"background\" or \"inline\"", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("background")]
    [InlineData("inline")]
    public void IndexBuild_IsRead(string value)
    {
        _dir.Write("project/specsynth.toml", $"[context]\nindex_build = \"{value}\"\n");

        var config = SpecSynth.Config.ConfigLoader.Load(Project, _ => null);

        Assert.Equal(value, config.Context.IndexBuild);
        Assert.Equal("background", new SpecSynth.Config.ContextOptions().IndexBuild); // the default
    }

    [Fact]
    public async Task InProcess_TheFirstContextBuildsTheIndexInline_AndTheIndexCommandThenReadsNothing()
    {
        _dir.Write("project/spec.md", "# Widget\n\nThe `Widget` MUST spin.\n");
        _dir.Write("project/src/Widget.cs", "class Widget { void Spin() {} }\n");
        _dir.Write("project/src/Other.cs", "class Other { }\n");
        // Files changed within the index's racy window (2 s) are not recorded: let them settle.
        await Task.Delay(TimeSpan.FromSeconds(2.2));

        var context = await Cli.RunAsync("context", "spec.md", "--mock-llm", "--json");
        var index = await Cli.RunAsync("index", "--json");
        var text = await Cli.RunAsync("index");

        Assert.True(context.ExitCode == 0, context.Error);
        Assert.True(index.ExitCode == 0, index.Error);
        using var json = JsonDocument.Parse(index.Out);
        var root = json.RootElement;
        Assert.Equal(["project", "files", "indexed", "read", "bytes", "seconds", "already_building"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Project, root.GetProperty("project").GetString());
        Assert.True(root.GetProperty("files").GetInt32() == 3); // spec.md, src/Other.cs, src/Widget.cs
        Assert.Equal(0, root.GetProperty("read").GetInt32());
        Assert.Equal(3, root.GetProperty("indexed").GetInt32());
        Assert.True(root.GetProperty("bytes").GetInt64() > 0);
        Assert.False(root.GetProperty("already_building").GetBoolean());
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.StartsWith("index of " + Project + ": ", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexCommand_OnAMissingFolder_IsExit2()
    {
        var result = await Cli.RunAsync("index", "--project", _dir.Combine("nowhere"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }
}
