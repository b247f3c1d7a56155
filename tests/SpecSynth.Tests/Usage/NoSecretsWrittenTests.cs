using System.Text;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>
/// The keys reach the providers and nothing else. generate, explain and review (and a run where every key is refused)
/// against fake Claude and OpenAI servers that answer 401 and 429 too, with <c>[audit] include_prompts = true</c> and
/// <c>SPECSYNTH_DEBUG=1</c>: no key value (nor its base64) is in any file under the state folder, the project and
/// the output folder, in stdout, stderr or any exception text.
/// </summary>
public sealed class NoSecretsWrittenTests
{
    private const string ClaudeKey = "sk-ant-api03-LEDGER-first-9c8b7a6d";
    private const string ClaudeKey2 = "sk-ant-api03-LEDGER-second-5e4f3a2b";
    private const string OpenAIKey = "sk-proj-LEDGER-openai-1a2b3c4d";

    [Fact]
    public async Task NoKey_IsWrittenAnywhere_ByAnyCommand_OrAnyFailure()
    {
        await using var h = await CliHarness.StartAsync("claude", new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = ClaudeKey,
            ["TEAM_CLAUDE_KEY"] = ClaudeKey2,
            ["OPENAI_API_KEY"] = OpenAIKey,
            ["SPECSYNTH_DEBUG"] = "1",
            ["SPECSYNTH_USER"] = "auditor",
        });
        var root = h.Server.BaseUrl.AbsoluteUri.TrimEnd('/');
        h.Configure($"""
            [retry]
            max_attempts = 2
            initial_delay = 0.01
            max_delay = 0.02
            continuation_rounds = 0

            [audit]
            include_prompts = true

            [llm.claude]
            base_url = "{root}"
            api_key_env = ["ANTHROPIC_API_KEY", "TEAM_CLAUDE_KEY"]

            [llm.openai]
            base_url = "{root}/v1"
            """);
        var openAICalls = 0;
        var openAIRefuses = false;
        h.Server.Router = request => request.Path switch
        {
            // The first Claude key is refused (401); the second gets the queued answers.
            "/v1/messages" when request.Header("x-api-key") == ClaudeKey => AnthropicWire.Error(401, "authentication_error", "invalid x-api-key"),
            // OpenAI rate limits every other call (429), then answers; or refuses its key (401) when told to.
            "/v1/chat/completions" when openAIRefuses => OpenAIWire.Error(401, "Incorrect API key provided: sk-proj-****1c4d", "invalid_api_key", "invalid_api_key"),
            "/v1/chat/completions" when Interlocked.Increment(ref openAICalls) % 2 == 1 =>
                OpenAIWire.Error(429, "Rate limit reached", "rate_limit_exceeded", "rate_limit_exceeded").WithHeader("retry-after-ms", "10"),
            "/v1/chat/completions" => OpenAIWire.Json(ModelAnswers.Explanation, "stop", 3000, 845, 1024),
            _ => null,
        };

        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true), h.Case.Reply(ModelAnswers.Review, stream: true));

        var results = new List<Cli.CliResult>
        {
            await h.Cli.RunAsync("generate", h.SpecPath, "--out", h.Out, "--provider", "claude", "--json"),
            await h.Cli.RunAsync("explain", h.CodePath, "--spec", h.SpecPath, "--provider", "openai", "--no-stream"),
            await h.Cli.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath, "--provider", "claude,openai", "--json"),
            await h.Cli.RunAsync("usage", "--by", "provider", "--json"),
            await h.Cli.RunAsync("config", "show", "--json"),
        };
        openAIRefuses = true;
        var refused = await h.Cli.RunAsync("explain", h.CodePath, "--provider", "openai", "--no-cache");

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.Equal(3, refused.ExitCode);
        results.Add(refused);
        var rows = LedgerOverProvidersTests.Ledger(h);
        Assert.Equal(["generate", "explain", "review", "explain"], rows.Select(r => r.Operation));
        Assert.Equal(["TEAM_CLAUDE_KEY", "OPENAI_API_KEY", "TEAM_CLAUDE_KEY", null], rows.Select(r => r.KeyAlias));
        Assert.Equal(["ok", "ok", "ok", "auth"], rows.Select(r => r.Outcome));
        Assert.True(rows[1].Retries >= 1, "the 429 was retried");
        var audit = LedgerOverProvidersTests.AuditLines(h);
        Assert.Equal(4, audit.Count);
        Assert.All(audit, a => Assert.Equal("auditor", a.GetProperty("who").GetString()));
        Assert.Contains("Greeter", audit[1].GetProperty("prompt").GetRawText(), StringComparison.Ordinal);

        var folders = new[] { h.Home, h.Project, h.Out };
        var files = folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).Distinct().ToList();
        Assert.Contains(files, f => f.EndsWith(UsageLedger.FileName, StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(AuditLog.FileName, StringComparison.Ordinal));
        foreach (var key in new[] { ClaudeKey, ClaudeKey2, OpenAIKey })
        {
            Assert.Contains(h.Server.Requests, r => (r.Header("x-api-key") + r.Header("authorization")).Contains(key, StringComparison.Ordinal));
            foreach (var needle in new[] { key, Convert.ToBase64String(Encoding.UTF8.GetBytes(key)), key[^12..] })
            {
                var bytes = Encoding.UTF8.GetBytes(needle);
                Assert.All(files, f => Assert.True(File.ReadAllBytes(f).AsSpan().IndexOf(bytes) < 0, $"{needle} found in {f}"));
                Assert.All(results, r => Assert.DoesNotContain(needle, r.Out + r.Error, StringComparison.Ordinal));
            }
        }
    }
}
