using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Numeric flags with a documented range. The value is parsed (invariant culture) and range-checked by the parser
/// itself, so a typo (<c>--concurrency abc</c>, <c>--repair-rounds 99999999999</c>) is a parse error (exit 2) naming the
/// flag and its range, before any configuration is read or request sent.
/// </summary>
internal static class NumericOption
{
    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="defaultValue"/> when absent.</summary>
    public static Option<int> Int(string name, string description, int min, int max, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue,
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <c>null</c> when absent.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        CustomParser = r => ParseInt(r, name, min, max),
    };

    /// <summary>An amount in USD above 0 and at most <paramref name="max"/>, or <c>null</c> when absent.</summary>
    public static Option<decimal?> Usd(string name, string description, decimal max) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = Token(r);
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var usd) && usd > 0 && usd <= max)
            {
                return usd;
            }
            r.AddError(string.Create(CultureInfo.InvariantCulture,
                $"{name} must be an amount in USD above 0 and at most {max:0.##} (e.g. {name} 2.50); got {Quote(text)}."));
            return null;
        },
    };

    private static int? ParseInt(ArgumentResult r, string name, int min, int max)
    {
        var text = Token(r);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return (int)n;
        }
        r.AddError(string.Create(CultureInfo.InvariantCulture,
            $"{name} must be a whole number from {min:N0} to {max:N0}; got {Quote(text)}."));
        return null;
    }

    private static string Token(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    /// <summary>The user's value, quoted and cut so a pasted paragraph does not flood the error.</summary>
    private static string Quote(string text)
    {
        var cleaned = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return "'" + (cleaned.Length > 40 ? cleaned[..40] + "…" : cleaned) + "'";
    }
}
