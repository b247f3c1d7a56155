using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Config;

/// <summary><c>[context] budget</c>: read, validated, shown by <c>config show</c>, and applied by <c>context</c> (and generate).</summary>
public sealed class ContextBudgetConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliRunner Cli => new(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

    [Fact]
    public async Task Budget_IsShown_AndCapsThePlannedPrompt_UnlessBudgetFlagGiven()
    {
        _dir.Write("specsynth.toml", "[context]\nbudget = 5000\n");
        _dir.Write("spec.md", "# Todo\n\nAdd todos.\n");

        var text = await Cli.RunAsync("config", "show");
        var json = await Cli.RunAsync("config", "show", "--json");
        var context = await Cli.RunAsync("context", "spec.md", "--mock-llm", "--json");
        var contextText = await Cli.RunAsync("context", "spec.md", "--mock-llm");
        var flag = await Cli.RunAsync("context", "spec.md", "--mock-llm", "--budget", "3000", "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("[context]\nbudget = 5000", text.Out, StringComparison.Ordinal);
        using var shown = JsonDocument.Parse(json.Out);
        Assert.Equal(5000, shown.RootElement.GetProperty("context").GetProperty("budget").GetInt32());
        Assert.True(context.ExitCode == 0, context.Error);
        using var planned = JsonDocument.Parse(context.Out);
        var budget = planned.RootElement.GetProperty("budget");
        Assert.Equal(5000, budget.GetProperty("prompt_limit").GetInt32());
        Assert.Equal(5000, budget.GetProperty("configured_budget").GetInt32());
        Assert.Equal(200_000, budget.GetProperty("context_window").GetInt32());
        Assert.Contains("budget 5,000 tokens", contextText.Out, StringComparison.Ordinal);
        Assert.Contains("at most [context] budget", contextText.Out, StringComparison.Ordinal);
        using var given = JsonDocument.Parse(flag.Out);
        Assert.Equal(3000, given.RootElement.GetProperty("budget").GetProperty("prompt_limit").GetInt32());
    }

    [Fact]
    public async Task Default_IsTheWholeWindow()
    {
        var json = await Cli.RunAsync("config", "show", "--json");

        Assert.True(json.ExitCode == 0, json.Error);
        using var shown = JsonDocument.Parse(json.Out);
        Assert.Equal(JsonValueKind.Null, shown.RootElement.GetProperty("context").GetProperty("budget").ValueKind);
    }

    [Theory]
    [InlineData("[context]\nbudget = 10\n", "'context.budget' must be a whole number of tokens, at least 1024")]
    [InlineData("[context]\nbudget = \"lots\"\n", "'context.budget' must be a whole number of tokens")]
    [InlineData("[context]\nbudget = 2000.5\n", "'context.budget' must be a whole number of tokens")]
    [InlineData("[context]\nsize = 3\n", "unknown key 'context.size' (known: budget, index, index_build, index_max_mb, max_files)")]
    public async Task InvalidValues_AreExit2_NamingTheKey(string toml, string message)
    {
        _dir.Write("specsynth.toml", toml);

        var result = await Cli.RunAsync("config", "show");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("specsynth.toml", result.Error, StringComparison.Ordinal);
    }
}
