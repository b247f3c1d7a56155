using System.Globalization;

namespace SpecSynth.Parsing;

/// <summary>
/// Warnings in reply order, at most <see cref="PerKind"/> of each kind; the rest of a kind become one summary line
/// (a reply of thousands of bare blocks must not produce thousands of lines).
/// </summary>
internal sealed class WarningList
{
    /// <summary>The most warnings of one kind listed one by one.</summary>
    public const int PerKind = 10;

    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Adds a warning.</summary>
    /// <param name="message">The warning.</param>
    /// <param name="summary">The summary for this kind's overflow, with <c>{0}</c> for the number left out.</param>
    public void Add(string message, string summary)
    {
        var count = _counts.GetValueOrDefault(summary) + 1;
        _counts[summary] = count;
        if (count <= PerKind)
        {
            _warnings.Add(message);
        }
    }

    /// <summary>The warnings, then one summary per kind that overflowed.</summary>
    public List<string> ToList()
    {
        var result = new List<string>(_warnings);
        foreach (var (summary, count) in _counts)
        {
            if (count > PerKind)
            {
                result.Add(string.Format(CultureInfo.InvariantCulture, summary, count - PerKind));
            }
        }
        return result;
    }
}
