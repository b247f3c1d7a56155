using System.Text.Json;
using SpecSynth.Budget;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Budget;

/// <summary>Budgets end to end against the fake Claude server: refusal before sending, the output cap, settlement.</summary>
public sealed class BudgetOverCliTests
{
    private const string NoRetries = "[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n";

    [Fact]
    public async Task OverTheRunBudget_Exit6WithTheNumbers_AndNothingIsSent()
    {
        await using var h = await CliHarness.StartAsync("claude");

        var result = await h.RunAsync("explain", h.CodePath, "--max-cost", "0.01");

        Assert.Equal(6, result.ExitCode);
        Assert.Empty(h.Server.Requests);
        Assert.Contains("budget exceeded: the run budget (--max-cost) has $0.0100 left of $0.0100", result.Error, StringComparison.Ordinal);
        Assert.Contains("this request to claude (claude-sonnet-4-5) may cost up to $0.24", result.Error, StringComparison.Ordinal);
        Assert.Contains("16,000 output tokens", result.Error, StringComparison.Ordinal);
        Assert.Contains("1,024 tokens, [budget] min_output_tokens = 1024", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverTheDailyBudget_JsonErrorIsBudgetExceeded_AndNothingIsSent()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + "[budget]\ndaily_usd = 0.005\n");

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out, "--json");

        Assert.Equal(6, result.ExitCode);
        Assert.Empty(h.Server.Requests);
        using var doc = JsonDocument.Parse(result.Out);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("kind").GetString());
        Assert.Contains($"the daily budget for {DateTime.UtcNow:yyyy-MM-dd} UTC ([budget] daily_usd) has $0.0050 left of $0.0050",
            error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(h.OutputFiles);
    }

    [Fact]
    public async Task ABudgetBelowTheWorstCase_CapsTheOutputTheServerIsAskedFor()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream: true));

        var result = await h.RunAsync("explain", h.CodePath, "--max-cost", "0.05");

        Assert.True(result.ExitCode == 0, result.Error);
        var maxTokens = Assert.Single(h.ChatRequests).Json.GetProperty("max_tokens").GetInt32();
        // $0.05 at $15/M output pays for at most 3,333 output tokens, less what the prompt may cost; never below the floor.
        Assert.InRange(maxTokens, 1024, 3333);
    }

    [Fact]
    public async Task TheMinOutputTokensFloor_DecidesWhenABudgetIsExhausted()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + "[budget]\nmin_output_tokens = 4000\n");

        var result = await h.RunAsync("explain", h.CodePath, "--max-cost", "0.05");

        Assert.Equal(6, result.ExitCode);
        Assert.Empty(h.Server.Requests);
        Assert.Contains("4,000 tokens, [budget] min_output_tokens = 4000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterTheReply_TheDailyCounterHoldsTheActualCost_NotTheWorstCase()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + "[budget]\ndaily_usd = 2\nmonthly_usd = 20\n");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream: false));

        var result = await h.RunAsync("explain", h.CodePath, "--no-stream", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var cost = doc.RootElement.GetProperty("cost_usd").GetDecimal();
        using var store = SqliteBudgetStore.Open(Path.Combine(h.Home, SqliteBudgetStore.FileName), TimeProvider.System);
        Assert.Equal(32_258_400, store.Used($"day:{DateTime.UtcNow:yyyy-MM-dd}"));
        Assert.Equal(32_258_400, store.Used($"month:{DateTime.UtcNow:yyyy-MM}"));
        Assert.Equal(0.032258m, cost);
    }

    [Fact]
    public async Task AFailedCall_ReleasesItsReservation()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(NoRetries + "[budget]\ndaily_usd = 2\n");
        h.Server.Enqueue(h.Case.Error(500, "boom", "api_error"));

        var result = await h.RunAsync("explain", h.CodePath);

        Assert.Equal(4, result.ExitCode);
        Assert.Single(h.ChatRequests);
        using var store = SqliteBudgetStore.Open(Path.Combine(h.Home, SqliteBudgetStore.FileName), TimeProvider.System);
        Assert.Equal(0, store.Used($"day:{DateTime.UtcNow:yyyy-MM-dd}"));
    }

    [Fact]
    public async Task ACacheHit_CostsNothing_AndNeedsNoBudget()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream: true));
        Assert.Equal(0, (await h.RunAsync("explain", h.CodePath)).ExitCode);

        var again = await h.RunAsync("explain", h.CodePath, "--max-cost", "0.0001");

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Single(h.ChatRequests);
    }

    [Fact]
    public async Task TheMockCostsNothing_WhateverTheBudget()
    {
        await using var h = await CliHarness.StartAsync("claude");

        var result = await h.Cli.RunAsync("explain", h.CodePath, "--mock-llm", "--max-cost", "0.0001");

        Assert.True(result.ExitCode == 0, result.Error);
    }
}
