using Tomlyn.Model;
using SpecSynth.Budget;
using SpecSynth.Routing;

namespace SpecSynth.Config;

/// <summary>Reads <c>[budget]</c> (<c>daily_usd</c>, <c>monthly_usd</c>, <c>min_output_tokens</c>) and <c>[routing]</c>.</summary>
internal sealed class TomlBudgetReader(TomlConfigReader reader)
{
    private const string RoutingKeys = "generate, explain, review, small_spec_tokens, small_spec, on_budget_exhausted";

    public SpecSynthConfig ApplyBudget(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Budget;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "daily_usd" => options with { DailyUsd = Usd(value, key) },
                "monthly_usd" => options with { MonthlyUsd = Usd(value, key) },
                "min_output_tokens" => options with { MinOutputTokens = reader.IntInRange(value, "budget", key, 1, 1_000_000) },
                _ => throw reader.Error("budget", key, $"unknown key 'budget.{key}' (known: daily_usd, monthly_usd, min_output_tokens)"),
            };
        }
        return config with { Budget = options };
    }

    public SpecSynthConfig ApplyRouting(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Routing;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "generate" => options with { Generate = Target(value, key) },
                "explain" => options with { Explain = Target(value, key) },
                "review" => options with { Review = Target(value, key) },
                "small_spec" => options with { SmallSpec = Target(value, key) },
                "small_spec_tokens" => options with { SmallSpecTokens = reader.IntInRange(value, "routing", key, 1, 10_000_000) },
                "on_budget_exhausted" => options with { OnBudgetExhausted = Local(Target(value, key), key) },
                _ => throw reader.Error("routing", key, $"unknown key 'routing.{key}' (known: {RoutingKeys})"),
            };
        }
        return config with { Routing = options };
    }

    private decimal Usd(object value, string key)
    {
        // Range-checked as a double first: casting 1e308 (or 1e29) to decimal would overflow.
        // The decimal must stay above 0 too: 1e-300 would round to a budget of nothing.
        double? usd = value switch { double d => d, long l => l, _ => null };
        return usd is > 0 and <= (double)BudgetOptions.MaxUsd && (decimal)usd.Value > 0
            ? (decimal)usd.Value
            : throw reader.Error("budget", key, $"'budget.{key}' must be an amount in USD above 0 and at most 1000000");
    }

    private RouteTarget Target(object value, string key)
    {
        if (value is not string text)
        {
            throw reader.Error("routing", key, $"'routing.{key}' must be a string such as \"claude:claude-haiku-4-5\" or \"ollama\"");
        }
        try
        {
            return RouteTarget.Parse(text);
        }
        catch (SpecSynthException ex)
        {
            throw reader.Error("routing", key, $"'routing.{key}': {ex.Message}");
        }
    }

    private RouteTarget Local(RouteTarget target, string key) =>
        target.Provider == "ollama"
            ? target
            : throw reader.Error("routing", key, $"'routing.{key}' must name a free local provider (\"ollama\" or \"ollama:MODEL\"), got '{target}'");
}
