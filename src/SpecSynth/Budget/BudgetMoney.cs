using System.Globalization;

namespace SpecSynth.Budget;

/// <summary>Budget counters are whole nano-dollars (1e-9 USD), so that every store (SQLite, Redis, memory) adds exactly.</summary>
internal static class BudgetMoney
{
    /// <summary>Nano-dollars per dollar.</summary>
    public const long NanosPerUsd = 1_000_000_000;

    /// <summary>USD to nano-USD, rounded up (a budget never under-counts a cost).</summary>
    public static long ToNanos(decimal usd) => (long)Math.Ceiling(usd * NanosPerUsd);

    /// <summary>Nano-USD to USD.</summary>
    public static decimal ToUsd(long nanos) => (decimal)nanos / NanosPerUsd;

    /// <summary>"$0.0123" (4 decimals, more for amounts below a cent).</summary>
    public static string Format(long nanos)
    {
        var usd = ToUsd(nanos);
        var digits = Math.Abs(usd) is > 0 and < 0.0001m ? 6 : 4;
        return "$" + Math.Round(usd, digits, MidpointRounding.AwayFromZero).ToString("0." + new string('0', digits), CultureInfo.InvariantCulture);
    }
}
