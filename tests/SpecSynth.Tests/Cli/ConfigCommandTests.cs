using System.Text.Json;

namespace SpecSynth.Tests.Cli;

public sealed class ConfigCommandTests : IDisposable
{
    private const string Canary = "sk-ant-api03-CANARY-never-print-me-0123456789";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Show_MasksKeys_AndReportsWhetherTheyAreSet()
    {
        _dir.Write("specsynth.toml", "[llm.openai]\nmodel = \"gpt-x\"\nbase_url = \"http://localhost:9/v1\"\n");
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string>
        {
            ["SPECSYNTH_HOME"] = _dir.Combine("state"),
            ["ANTHROPIC_API_KEY"] = Canary,
        });

        var text = await cli.RunAsync("config", "show");
        var json = await cli.RunAsync("config", "show", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.DoesNotContain("CANARY", text.Out + text.Error + json.Out + json.Error, StringComparison.Ordinal);
        Assert.Contains("$ANTHROPIC_API_KEY set (hidden)", text.Out, StringComparison.Ordinal);
        Assert.Contains("$OPENAI_API_KEY not set", text.Out, StringComparison.Ordinal);
        Assert.Contains("model = \"gpt-x\"", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("set (hidden)", doc.RootElement.GetProperty("llm").GetProperty("claude").GetProperty("api_key_env").GetProperty("ANTHROPIC_API_KEY").GetString());
        Assert.Equal("claude", doc.RootElement.GetProperty("providers")[0].GetString());
    }

    [Fact]
    public async Task Show_IncludesCacheAndShared_WithRedisPasswordsMasked()
    {
        _dir.Write("specsynth.toml", "[cache]\nttl_hours = 24\nurl = \"redis://:s3cret-pw@cache.example:6380\"\n\n[shared]\nredis = \"redis://:s3cret-pw@team.example:6379/2\"\n");
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var text = await cli.RunAsync("config", "show");
        var json = await cli.RunAsync("config", "show", "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.DoesNotContain("s3cret-pw", text.Out + text.Error + json.Out + json.Error, StringComparison.Ordinal);
        Assert.Contains("[cache]\nenabled = true\nttl_hours = 24\nurl = \"redis://***@cache.example:6380\"", text.Out, StringComparison.Ordinal);
        Assert.Contains("[shared]\nredis = \"redis://***@team.example:6379/2\"", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(24, doc.RootElement.GetProperty("cache").GetProperty("ttl_hours").GetDouble());
        Assert.Equal("redis://***@team.example:6379/2", doc.RootElement.GetProperty("shared").GetProperty("redis").GetString());
    }

    [Fact]
    public async Task Version_PrintsAndExitsZero()
    {
        var result = await new CliRunner(_dir.Path).RunAsync("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Out.Trim());
    }
}
