using System.Globalization;

namespace SpecSynth.Budget;

/// <summary>The message of a request refused for its budget: which budget, its limit, what is left, and the worst case.</summary>
internal static class BudgetExceededMessage
{
    public static string For(string provider, string model, RequestCost cost, BudgetGrant refusal, BudgetOptions options)
    {
        var window = refusal.Short!;
        var (what, hint) = window.Name switch
        {
            "run" => ("the run budget (--max-cost)", "raise --max-cost"),
            "daily" => ($"the daily budget for {window.Period["day:".Length..]} UTC ([budget] daily_usd)", "raise [budget] daily_usd or wait for the next UTC day"),
            _ => ($"the monthly budget for {window.Period["month:".Length..]} UTC ([budget] monthly_usd)", "raise [budget] monthly_usd or wait for the next UTC month"),
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"budget exceeded: {what} has {BudgetMoney.Format(Math.Max(0, refusal.LeftNanos))} left of {BudgetMoney.Format(window.LimitNanos)}, " +
            $"but this request to {provider} ({model}) may cost up to {BudgetMoney.Format(cost.Wanted)} ({cost.PromptTokens:N0} prompt tokens " +
            $"and {cost.MaxOutputTokens:N0} output tokens), and at least {BudgetMoney.Format(cost.Minimum)} with the smallest output cap " +
            $"({cost.MinOutputTokens:N0} tokens, [budget] min_output_tokens = {options.MinOutputTokens}). Nothing was sent. " +
            $"To go on: {hint}, or set [routing] on_budget_exhausted = \"ollama\" to use a local model instead.");
    }
}
