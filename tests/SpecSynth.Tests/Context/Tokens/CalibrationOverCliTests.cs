using SpecSynth.State;
using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary><c>generate</c> end to end: the usage a Claude reply reports calibrates that model's estimate in the state folder.</summary>
public sealed class CalibrationOverCliTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClaudeReply_CalibratesTheModelsEstimate_UnderItsCatalogId(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude");
        // The fake bills one token per 3 characters of the request (denser than the estimator's default guess).
        h.Server.Router = request => request.Path != "/v1/messages" ? null : stream
            ? AnthropicWire.Stream([ModelAnswers.TwoFiles], input: request.Body.Length / 3, output: 50, model: "claude-sonnet-4-5-20250929")
            : AnthropicWire.Json(ModelAnswers.TwoFiles, input: request.Body.Length / 3, output: 50, model: "claude-sonnet-4-5-20250929");

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        var db = Path.Combine(h.Home, "calibration.db");
        Assert.True(File.Exists(db), "calibration.db in the state folder");
        using var connection = SqliteDatabase.Open(db, "");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT model, factor, samples FROM token_calibration";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("claude:claude-sonnet-4-5", reader.GetString(0));
        Assert.True(reader.GetDouble(1) > 1.0, $"factor {reader.GetDouble(1)}");
        Assert.Equal(1, reader.GetInt64(2));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task MockRun_LeavesNoCalibration()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("project"));
        var cli = new CliRunner(dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });
        var spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

        var result = await cli.RunAsync("generate", spec, "--mock-llm", "--dry-run", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(dir.Combine("state", "calibration.db")));
    }
}
