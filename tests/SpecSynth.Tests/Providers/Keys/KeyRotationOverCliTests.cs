using System.Text.Json;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary><c>api_key_env</c> with several variables, end to end: the CLI rotates away from a refused key and writes no key anywhere.</summary>
public sealed class KeyRotationOverCliTests
{
    private const string First = "sk-ant-api03-FIRST-key-0a1b2c3d";
    private const string Second = "sk-ant-api03-SECOND-key-4e5f6a7b";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARefusedFirstKey_IsRotatedOut_AndTheSecondAnswers(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude", Env);
        h.Configure(Config(h, "max_attempts = 1\ncontinuation_rounds = 0", "ANTHROPIC_API_KEY", "TEAM_CLAUDE_KEY"));
        h.Server.Router = request => request.Path != h.Case.ChatPath ? null
            : request.Header("x-api-key") == First ? AnthropicWire.Error(401, "authentication_error", "invalid x-api-key")
            : h.Case.Reply(ModelAnswers.TwoFiles, stream);

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal([First, Second], h.ChatRequests.Select(r => r.Header("x-api-key")));
        Assert.Contains("resilience: key_rejected claude: the key from ANTHROPIC_API_KEY was refused", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        var events = doc.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "key_rejected");
        Assert.Equal(2, h.OutputFiles.Count);
        foreach (var key in new[] { First, Second })
        {
            Assert.Empty(h.FilesContaining(key));
            Assert.DoesNotContain(key, result.Out + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryKeyRefused_IsAnAuthFailure_NamingBothVariables()
    {
        await using var h = await CliHarness.StartAsync("claude", Env);
        h.Configure(Config(h, "max_attempts = 1", "ANTHROPIC_API_KEY", "TEAM_CLAUDE_KEY"));
        h.Server.Router = request => request.Path != h.Case.ChatPath ? null : AnthropicWire.Error(401, "authentication_error", "invalid x-api-key");

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("ANTHROPIC_API_KEY (HTTP 401), TEAM_CLAUDE_KEY (HTTP 401)", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.OutputFiles);
        Assert.DoesNotContain(First, result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Second, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListedVariableThatIsNotSet_IsAWarning_AndTheOthersAreUsed()
    {
        await using var h = await CliHarness.StartAsync("claude", Env);
        h.Configure(Config(h, "max_attempts = 1\ncontinuation_rounds = 0", "ANTHROPIC_API_KEY", "UNSET_CLAUDE_KEY", "TEAM_CLAUDE_KEY"));
        h.Server.Router = request => request.Path != h.Case.ChatPath ? null : h.Case.Reply(ModelAnswers.TwoFiles, stream: true);

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("warning: claude: UNSET_CLAUDE_KEY not set", result.Error, StringComparison.Ordinal);
        Assert.Equal(First, Assert.Single(h.ChatRequests).Header("x-api-key"));
    }

    private static Dictionary<string, string> Env => new()
    {
        ["ANTHROPIC_API_KEY"] = First,
        ["TEAM_CLAUDE_KEY"] = Second,
    };

    private static string Config(CliHarness h, string retry, params string[] variables) =>
        $"[retry]\n{retry}\n\n[llm.claude]\nbase_url = \"{h.Server.BaseUrl.AbsoluteUri.TrimEnd('/')}\"\n"
        + $"api_key_env = [{string.Join(", ", variables.Select(v => $"\"{v}\""))}]\n";
}
