namespace SpecSynth.Budget;

/// <summary>The cost budgets of a run: <c>--max-cost</c> (this run) and <c>[budget]</c> (<c>daily_usd</c>, <c>monthly_usd</c>,
/// <c>min_output_tokens</c>). Days and months are UTC.</summary>
public sealed record BudgetOptions
{
    /// <summary>The default <see cref="MinOutputTokens"/>.</summary>
    public const int DefaultMinOutputTokens = 1024;

    /// <summary>The largest budget accepted (<c>--max-cost</c>, <c>daily_usd</c>, <c>monthly_usd</c>): 1,000,000 USD, so every
    /// reservation sum stays far inside <see cref="decimal"/>.</summary>
    public const decimal MaxUsd = 1_000_000m;

    /// <summary><c>--max-cost USD</c>: what this run may spend, or <c>null</c> for no run budget.</summary>
    public decimal? RunUsd { get; init; }

    /// <summary><c>[budget] daily_usd</c>: what may be spent per UTC day (by this machine, or by the team with <c>[shared] redis</c>).</summary>
    public decimal? DailyUsd { get; init; }

    /// <summary><c>[budget] monthly_usd</c>: what may be spent per UTC calendar month.</summary>
    public decimal? MonthlyUsd { get; init; }

    /// <summary><c>[budget] min_output_tokens</c>: the smallest output cap a request is sent with; a budget that cannot pay for
    /// the prompt plus this many output tokens is exhausted.</summary>
    public int MinOutputTokens { get; init; } = DefaultMinOutputTokens;

    /// <summary>Whether any budget applies.</summary>
    public bool IsEnabled => RunUsd is not null || DailyUsd is not null || MonthlyUsd is not null;
}
