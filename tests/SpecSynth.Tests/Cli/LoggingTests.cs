using System.Text.Json;

namespace SpecSynth.Tests.Cli;

/// <summary><c>--verbose</c>, <c>--log-level</c> and <c>SPECSYNTH_LOG_LEVEL</c>: the library's logs on standard error only,
/// none by default, a bad level refused with exit 2.</summary>
public sealed class LoggingTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

    public void Dispose() => _dir.Dispose();

    private CliRunner Cli(string? level = null)
    {
        var env = new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("home"), ["HOME"] = _dir.Combine("user") };
        if (level is not null)
        {
            env["SPECSYNTH_LOG_LEVEL"] = level;
        }
        return new CliRunner(_dir.Path, env);
    }

    private Task<CliResult> GenerateAsync(CliRunner cli, params string[] more) =>
        cli.RunAsync(["generate", _spec, "--mock-llm", "--dry-run", "--json", .. more]);

    [Fact]
    public async Task Verbose_LogsStagesAndRequestsAtDebug_ToStandardErrorOnly_AndJsonStaysClean()
    {
        var result = await GenerateAsync(Cli(), "--verbose");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("dry_run", json.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("SpecSynth.", result.Out, StringComparison.Ordinal);
        Assert.Contains("info: SpecSynth.Run: specsynth.generate started", result.Error, StringComparison.Ordinal);
        Assert.Contains("debug: SpecSynth.Context: specsynth.scan finished in ", result.Error, StringComparison.Ordinal);
        Assert.Contains("debug: SpecSynth.Pipeline: generate request to mock/mock-1: ok", result.Error, StringComparison.Ordinal);
        Assert.Contains("debug: SpecSynth.Validation: validation round 0:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoLevel_WritesNoLogLine()
    {
        var quiet = await GenerateAsync(Cli());

        Assert.True(quiet.ExitCode == 0, quiet.Error);
        Assert.DoesNotContain("SpecSynth.", quiet.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("debug:", quiet.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogLevel_FiltersBelowIt_AndWinsOverTheVariable()
    {
        var info = await GenerateAsync(Cli("trace"), "--log-level", "Information");

        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("info: SpecSynth.Run: specsynth.generate finished in ", info.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("debug:", info.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheVariable_SetsTheLevel_WhenNoFlagDoes()
    {
        var debug = await GenerateAsync(Cli("debug"));

        Assert.True(debug.ExitCode == 0, debug.Error);
        Assert.Contains("debug: SpecSynth.Context: specsynth.plan started", debug.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "loud", "--log-level: unknown log level 'loud'")]
    [InlineData("chatty", null, "SPECSYNTH_LOG_LEVEL: unknown log level 'chatty'")]
    public async Task AnUnknownLevel_IsExit2_NamingWhereItCameFrom(string? variable, string? flag, string message)
    {
        var result = await GenerateAsync(Cli(variable), flag is null ? [] : ["--log-level", flag]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("trace, debug, information, warning, error, critical, none", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }
}
