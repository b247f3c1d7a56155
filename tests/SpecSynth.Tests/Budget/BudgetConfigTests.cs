using System.Text.Json;
using SpecSynth.Config;
using SpecSynth.Routing;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Budget;

/// <summary><c>[budget]</c> and <c>[routing]</c> in specsynth.toml, <c>config show</c>, and <c>--max-cost</c> validation.</summary>
public sealed class BudgetConfigTests
{
    [Fact]
    public void BudgetAndRouting_AreRead()
    {
        const string toml = """
            [budget]
            daily_usd = 5
            monthly_usd = 50.5
            min_output_tokens = 2048

            [routing]
            explain = "claude:claude-haiku-4-5"
            review = "openai"
            small_spec_tokens = 2000
            small_spec = "claude:claude-haiku-4-5"
            on_budget_exhausted = "ollama:qwen2.5-coder:7b"
            """;

        var config = ConfigLoader.ApplyFile(new SpecSynthConfig(), "specsynth.toml", toml);

        Assert.Equal(5m, config.Budget.DailyUsd);
        Assert.Equal(50.5m, config.Budget.MonthlyUsd);
        Assert.Equal(2048, config.Budget.MinOutputTokens);
        Assert.Null(config.Budget.RunUsd);
        Assert.Equal(new RouteTarget("claude", "claude-haiku-4-5"), config.Routing.Explain);
        Assert.Equal(new RouteTarget("openai", null), config.Routing.Review);
        Assert.Equal(2000, config.Routing.SmallSpecTokens);
        Assert.Equal(new RouteTarget("ollama", "qwen2.5-coder:7b"), config.Routing.OnBudgetExhausted);
    }

    [Theory]
    [InlineData("[budget]\ndaily = 5\n", "unknown key 'budget.daily'")]
    [InlineData("[budget]\ndaily_usd = -1\n", "'budget.daily_usd' must be an amount in USD above 0")]
    [InlineData("[budget]\nmonthly_usd = \"10\"\n", "'budget.monthly_usd' must be an amount in USD")]
    [InlineData("[budget]\nmin_output_tokens = 0\n", "'budget.min_output_tokens' must be a whole number from 1 to 1000000")]
    [InlineData("[routing]\nexplain = \"gemini:flash\"\n", "'routing.explain': 'gemini:flash' is not a route")]
    [InlineData("[routing]\nreview = \"claude:\"\n", "'routing.review'")]
    [InlineData("[routing]\non_budget_exhausted = \"openai:gpt-4.1-mini\"\n", "must name a free local provider")]
    [InlineData("[routing]\ncheap = \"ollama\"\n", "unknown key 'routing.cheap'")]
    public void ABadBudgetOrRoutingKey_IsAnErrorWithItsLine(string toml, string expected)
    {
        var error = Assert.Throws<SpecSynthException>(() => ConfigLoader.ApplyFile(new SpecSynthConfig(), "specsynth.toml", toml));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("specsynth.toml:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigShow_ListsBudgetAndRouting()
    {
        using var dir = new TempDir();
        dir.Write("specsynth.toml", "[budget]\ndaily_usd = 2.5\n\n[routing]\nexplain = \"claude:claude-haiku-4-5\"\non_budget_exhausted = \"ollama\"\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });

        var text = await cli.RunAsync("config", "show");
        var json = await cli.RunAsync("config", "show", "--json");

        Assert.Contains("[budget]\ndaily_usd = 2.5\nmin_output_tokens = 1024\n", text.Out, StringComparison.Ordinal);
        Assert.Contains("explain = \"claude:claude-haiku-4-5\"", text.Out, StringComparison.Ordinal);
        Assert.Contains("on_budget_exhausted = \"ollama\"", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(2.5m, doc.RootElement.GetProperty("budget").GetProperty("daily_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("budget").GetProperty("monthly_usd").ValueKind);
        Assert.Equal("ollama", doc.RootElement.GetProperty("routing").GetProperty("on_budget_exhausted").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("abc")]
    public async Task MaxCost_MustBeAPositiveAmount(string value)
    {
        using var dir = new TempDir();
        var code = dir.Write("a.cs", "class A {}\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });

        var result = await cli.RunAsync("explain", code, "--mock-llm", "--max-cost", value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--max-cost", result.Error, StringComparison.Ordinal);
    }
}
