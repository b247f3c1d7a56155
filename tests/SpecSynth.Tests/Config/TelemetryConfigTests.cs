using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Config;

/// <summary><c>[telemetry]</c>: every key validated with the file and line, and shown by <c>config show</c>.</summary>
public sealed class TelemetryConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliRunner Cli() => new(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

    [Fact]
    public async Task ConfigShow_ListsTheTelemetrySection()
    {
        _dir.Write("specsynth.toml", "[telemetry]\nendpoint = \"http://collector:4318\"\nprotocol = \"grpc\"\nservice_name = \"ci\"\ninclude_content = true\n");

        var text = await Cli().RunAsync("config", "show");
        var json = await Cli().RunAsync("config", "show", "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("[telemetry]\nenabled = true\nendpoint = \"http://collector:4318/\"\nprotocol = \"grpc\"\nservice_name = \"ci\"\ninclude_content = true",
            text.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        var telemetry = doc.RootElement.GetProperty("telemetry");
        Assert.True(telemetry.GetProperty("include_content").GetBoolean());
        Assert.Equal("grpc", telemetry.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task ConfigShow_WithoutTheSection_SaysWhereTheEndpointComesFrom()
    {
        var text = await Cli().RunAsync("config", "show");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("# endpoint: OTEL_EXPORTER_OTLP_ENDPOINT, else no export", text.Out, StringComparison.Ordinal);
        Assert.Contains("include_content = false", text.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("protocol = \"http/json\"", "'telemetry.protocol' must be one of \"http/protobuf\", \"grpc\"")]
    [InlineData("endpoint = \"collector:4318\"", "'telemetry.endpoint' must be an http:// or https:// URL")]
    [InlineData("endpoint = \"http://user:pw@collector:4318\"", "without credentials")]
    [InlineData("include_content = \"yes\"", "'telemetry.include_content' must be true or false")]
    [InlineData("enabled = 1", "'telemetry.enabled' must be true or false")]
    [InlineData("service_name = \"\"", "'telemetry.service_name' must be a non-empty string")]
    [InlineData("sampler = \"always\"", "unknown key 'telemetry.sampler' (known: enabled, endpoint, protocol, service_name, include_content)")]
    public async Task AnInvalidKey_IsExit2_NamingTheKey(string line, string message)
    {
        _dir.Write("specsynth.toml", "[telemetry]\n" + line + "\n");

        var result = await Cli().RunAsync("config", "show");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("specsynth.toml", result.Error, StringComparison.Ordinal);
    }
}
