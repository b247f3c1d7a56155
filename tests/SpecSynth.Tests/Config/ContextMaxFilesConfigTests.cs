using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Config;

/// <summary><c>[context] max_files</c>: read, validated, and the cap of the walk that <c>context</c> (and generate) rank.</summary>
public sealed class ContextMaxFilesConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliRunner Cli => new(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MaxFiles_CapsTheFilesTheContextRanks(bool index)
    {
        // Depth-first in path order: spec.md and specsynth.toml come before zeta/, so a cap of 2 leaves zeta/Widget.cs out.
        _dir.Write("spec.md", "# Widget\n\nChange zeta/Widget.cs so that the widget MUST spin.\n");
        _dir.Write("zeta/Widget.cs", "class Widget { void Spin() {} }\n");
        var indexLine = index ? "" : "index = false\n";

        _dir.Write("specsynth.toml", "[context]\n" + indexLine);
        var all = await Cli.RunAsync("context", "spec.md", "--mock-llm", "--json");
        _dir.Write("specsynth.toml", "[context]\n" + indexLine + "max_files = 2\n");
        var capped = await Cli.RunAsync("context", "spec.md", "--mock-llm", "--json");

        Assert.True(all.ExitCode == 0, all.Error);
        Assert.True(capped.ExitCode == 0, capped.Error);
        Assert.Contains("zeta/Widget.cs", FilePaths(all.Out));
        Assert.DoesNotContain("zeta/Widget.cs", FilePaths(capped.Out));
    }

    [Fact]
    public async Task MaxFiles_IsShownByConfigShowJson_DefaultTwentyThousand()
    {
        var byDefault = await Cli.RunAsync("config", "show", "--json");
        _dir.Write("specsynth.toml", "[context]\nmax_files = 150000\n");
        var set = await Cli.RunAsync("config", "show", "--json");

        Assert.True(byDefault.ExitCode == 0, byDefault.Error);
        Assert.True(set.ExitCode == 0, set.Error);
        using var defaults = JsonDocument.Parse(byDefault.Out);
        using var configured = JsonDocument.Parse(set.Out);
        Assert.Equal(20_000, defaults.RootElement.GetProperty("context").GetProperty("max_files").GetInt32());
        Assert.Equal(150_000, configured.RootElement.GetProperty("context").GetProperty("max_files").GetInt32());
    }

    [Theory]
    [InlineData("[context]\nmax_files = 0\n")]
    [InlineData("[context]\nmax_files = 10000001\n")]
    [InlineData("[context]\nmax_files = \"many\"\n")]
    public async Task InvalidValues_AreExit2_NamingTheKey(string toml)
    {
        _dir.Write("specsynth.toml", toml);

        var result = await Cli.RunAsync("config", "show");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'context.max_files' must be a whole number of files, from 1 to 10000000", result.Error, StringComparison.Ordinal);
    }

    private static List<string?> FilePaths(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "file")
            .Select(i => i.GetProperty("path").GetString())
            .ToList();
    }
}
