using System.Text.Json;
using SpecSynth.Config;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Usage;

/// <summary><c>[audit]</c> in specsynth.toml: read, validated, shown by <c>config show</c>.</summary>
public sealed class AuditConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void IncludePrompts_IsOffByDefault_AndReadWhenSet()
    {
        Assert.False(ConfigLoader.Load(_dir.Path, Env).Audit.IncludePrompts);
        _dir.Write("specsynth.toml", "[audit]\ninclude_prompts = true\n");

        Assert.True(ConfigLoader.Load(_dir.Path, Env).Audit.IncludePrompts);
    }

    [Theory]
    [InlineData("[audit]\ninclude_prompts = \"yes\"\n", "'audit.include_prompts' must be true or false")]
    [InlineData("[audit]\ninclude_prompt = true\n", "unknown key 'audit.include_prompt' (known: include_prompts)")]
    public async Task ABadAuditSection_IsExit2_NamingTheKey(string toml, string message)
    {
        _dir.Write("specsynth.toml", toml);
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var result = await cli.RunAsync("config", "show");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("specsynth.toml", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigShow_ShowsTheAuditSection()
    {
        _dir.Write("specsynth.toml", "[audit]\ninclude_prompts = true\n");
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var text = await cli.RunAsync("config", "show");
        var json = await cli.RunAsync("config", "show", "--json");

        Assert.Contains("[audit]\ninclude_prompts = true", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.True(doc.RootElement.GetProperty("audit").GetProperty("include_prompts").GetBoolean());
    }

    private string? Env(string name) => name == "SPECSYNTH_HOME" ? _dir.Combine("state") : name == "HOME" ? _dir.Combine("home") : null;
}
