using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>Keys from <c>keys set</c> and <c>api_key_command</c>, end to end over the fake Anthropic server.</summary>
public sealed class KeySourcesOverCliTests
{
    private const string Old = "sk-ant-api03-OLD-rotated-0a1b2c3d";
    private const string New = "sk-ant-api03-NEW-current-4e5f6a7b";

    [Fact]
    public async Task AStoredKey_IsUsed_WhenNoVariableIsSet()
    {
        await using var h = await CliHarness.StartAsync("claude", Env());
        h.Configure(Config(h, ""));
        h.Cli.Stdin = System.Text.Encoding.UTF8.GetBytes(New);
        var set = await h.Cli.RunAsync("keys", "set", "claude");
        h.Cli.Stdin = null;
        h.Server.Router = request => request.Path != h.Case.ChatPath ? null : h.Case.Reply(ModelAnswers.TwoFiles, stream: true);

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.True(set.ExitCode == 0, set.Error);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(New, Assert.Single(h.ChatRequests).Header("x-api-key"));
        Assert.DoesNotContain(New, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACommandKeyRefusedWith401_RunsTheCommandAgain_AndTheCallGoesOnWithTheNewKey(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude", Env());
        var counter = Path.Combine(h.Root, "count");
        var script = Path.Combine(h.Root, "key.sh");
        File.WriteAllText(script, $"n=$(cat '{counter}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{counter}'\n"
            + $"if [ $n -eq 1 ]; then echo {Old}; else echo {New}; fi\n");
        h.Configure(Config(h, $"api_key_command = \"sh {script}\"\napi_key_ttl = 3600\n"));
        h.Server.Router = request => request.Path != h.Case.ChatPath ? null
            : request.Header("x-api-key") == Old ? AnthropicWire.Error(401, "authentication_error", "invalid x-api-key")
            : h.Case.Reply(ModelAnswers.TwoFiles, stream);

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal([Old, New], h.ChatRequests.Select(r => r.Header("x-api-key")));
        Assert.Equal("2", File.ReadAllText(counter).Trim());
        foreach (var key in new[] { Old, New })
        {
            Assert.Equal([script], h.FilesContaining(key));
            Assert.DoesNotContain(key, result.Out + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AFailingCommand_IsAnAuthFailure_NamingTheCommand_BeforeAnyRequest()
    {
        await using var h = await CliHarness.StartAsync("claude", Env());
        h.Configure(Config(h, "api_key_command = \"sh -c 'echo locked >&2; exit 1'\"\n"));

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("api_key_command 'sh -c 'echo locked >&2; exit 1'' failed with exit code 1 (stderr: locked)", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests);
    }

    private static Dictionary<string, string> Env() => new();

    private static string Config(CliHarness h, string keys) =>
        $"[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n\n[llm.claude]\nbase_url = \"{h.Server.BaseUrl.AbsoluteUri.TrimEnd('/')}\"\n{keys}";
}
