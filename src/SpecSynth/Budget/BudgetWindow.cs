namespace SpecSynth.Budget;

/// <summary>One budget that applies to a request: the run, a UTC day or a UTC month.</summary>
/// <param name="Name"><c>run</c>, <c>daily</c> or <c>monthly</c> (for messages).</param>
/// <param name="Period">The counter's key: <c>run</c>, <c>day:2026-12-02</c> or <c>month:2026-12</c>.</param>
/// <param name="LimitNanos">The limit in nano-USD (<see cref="BudgetMoney"/>).</param>
internal sealed record BudgetWindow(string Name, string Period, long LimitNanos)
{
    /// <summary>The windows of <paramref name="options"/> at <paramref name="now"/> that live in the day/month counters
    /// (the run budget is kept apart, in memory).</summary>
    public static IReadOnlyList<BudgetWindow> Calendar(BudgetOptions options, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var windows = new List<BudgetWindow>(2);
        if (options.DailyUsd is { } daily)
        {
            windows.Add(new("daily", "day:" + utc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), BudgetMoney.ToNanos(daily)));
        }
        if (options.MonthlyUsd is { } monthly)
        {
            windows.Add(new("monthly", "month:" + utc.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), BudgetMoney.ToNanos(monthly)));
        }
        return windows;
    }
}
