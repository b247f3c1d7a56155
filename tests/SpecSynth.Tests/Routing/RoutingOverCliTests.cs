using System.Text.Json;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Routing;

/// <summary><c>[routing]</c> end to end: the model the fake server is asked for, flags winning, and the local fallback
/// when a budget is exhausted.</summary>
public sealed class RoutingOverCliTests
{
    private const string NoRetries = "[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n";

    [Theory]
    [InlineData("explain")]
    [InlineData("review")]
    public async Task ExplainAndReview_GoToTheCheaperModelTheirRuleNames(string operation)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + $"[routing]\n{operation} = \"claude:claude-haiku-4-5\"\n");
        h.Server.Enqueue(h.Case.Reply(operation == "explain" ? ModelAnswers.Explanation : ModelAnswers.Review, stream: true));

        var result = await h.Cli.RunAsync(operation, h.CodePath, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("claude-haiku-4-5", Assert.Single(h.ChatRequests).Json.GetProperty("model").GetString());
        Assert.Contains($"routing: {operation} -> claude:claude-haiku-4-5 ([routing] {operation})", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("claude:claude-haiku-4-5", doc.RootElement.GetProperty("route").GetString());
    }

    [Theory]
    [InlineData(2000, "claude-haiku-4-5")]
    [InlineData(10, "claude-sonnet-4-5")]
    public async Task ASmallSpec_IsGeneratedByTheSmallSpecModel_ALargerOneByTheConfiguredOne(int smallSpecTokens, string expectedModel)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + $"[routing]\nsmall_spec_tokens = {smallSpecTokens}\nsmall_spec = \"claude:claude-haiku-4-5\"\n");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.Cli.RunAsync("generate", h.SpecPath, "--out", h.Out, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(expectedModel, Assert.Single(h.ChatRequests).Json.GetProperty("model").GetString());
        Assert.Equal(smallSpecTokens == 2000, result.Error.Contains("routing: generate -> claude:claude-haiku-4-5 ([routing] small_spec: the spec is ",
            StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal(smallSpecTokens == 2000 ? "claude:claude-haiku-4-5" : null, json.RootElement.GetProperty("route").GetString());
    }

    [Theory]
    [InlineData("--model", "claude-opus-4-5", "claude-opus-4-5")]
    [InlineData("--provider", "claude", "claude-sonnet-4-5")]
    public async Task ModelAndProviderFlags_WinOverRouting(string flag, string value, string expectedModel)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + "[routing]\nexplain = \"claude:claude-haiku-4-5\"\n");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream: true));

        var result = await h.Cli.RunAsync("explain", h.CodePath, flag, value);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(expectedModel, Assert.Single(h.ChatRequests).Json.GetProperty("model").GetString());
        Assert.DoesNotContain("routing:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OnBudgetExhausted_TheLocalOllamaAnswers_AndClaudeGetsNothing(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude");
        await using var ollama = await FakeProviderServer.StartAsync();
        var local = ProviderCases.Get("ollama");
        ollama.Router = request => local.Route(request) ?? (request.Path == local.ChatPath ? local.Reply(ModelAnswers.Explanation, stream) : null);
        h.Cli.Env["OLLAMA_HOST"] = $"{ollama.BaseUrl.Host}:{ollama.BaseUrl.Port}";
        h.Configure(NoRetries + "[routing]\non_budget_exhausted = \"ollama\"\n");

        var result = stream
            ? await h.Cli.RunAsync("explain", h.CodePath, "--max-cost", "0.001", "--json")
            : await h.Cli.RunAsync("explain", h.CodePath, "--max-cost", "0.001", "--json", "--no-stream");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Empty(h.Server.Requests);
        var request = Assert.Single(ollama.Requests, r => r.Path == local.ChatPath);
        Assert.Equal("qwen2.5-coder:7b", request.Json.GetProperty("model").GetString());
        Assert.Contains("warning: budget exceeded: the run budget (--max-cost) has $0.0010 left of $0.0010", result.Error, StringComparison.Ordinal);
        Assert.Contains("sending this request to ollama ([routing] on_budget_exhausted) instead", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("ollama", doc.RootElement.GetProperty("provider").GetString());
        Assert.Equal(0m, doc.RootElement.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(ModelAnswers.Explanation, doc.RootElement.GetProperty("text").GetString());
        // The usage ledger records the one call under the provider that answered, at no cost.
        var usage = await h.Cli.RunAsync("usage", "--by", "provider", "--json");
        using var ledger = JsonDocument.Parse(usage.Out);
        var group = Assert.Single(ledger.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("ollama", group.GetProperty("key").GetString());
        Assert.Equal(0m, group.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task OnBudgetExhausted_WithOllamaDown_FailsWithExit6NamingBoth()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Cli.Env["OLLAMA_HOST"] = "127.0.0.1:1";
        h.Configure(NoRetries + "[routing]\non_budget_exhausted = \"ollama:qwen2.5-coder:7b\"\n");

        var result = await h.Cli.RunAsync("explain", h.CodePath, "--max-cost", "0.001");

        Assert.Equal(6, result.ExitCode);
        Assert.Empty(h.Server.Requests);
        Assert.Contains("budget exceeded", result.Error, StringComparison.Ordinal);
        Assert.Contains("on_budget_exhausted (ollama:qwen2.5-coder:7b) cannot be used", result.Error, StringComparison.Ordinal);
    }
}
