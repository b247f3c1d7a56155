using System.Globalization;

namespace SpecSynth.Usage;

/// <summary>Reads <c>specsynth usage --since</c>: a UTC date (<c>2026-12-01</c>), a UTC time (<c>2026-12-01T08:00:00Z</c>),
/// or a span back from now (<c>7d</c>, <c>24h</c>, <c>30m</c>).</summary>
internal static class UsageSince
{
    /// <summary>The instant <paramref name="text"/> names.</summary>
    /// <exception cref="SpecSynthException">Not one of the accepted forms (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static DateTimeOffset Parse(string text, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(time);
        var value = text.Trim();
        if (value.Length >= 2 && char.IsAsciiLetter(value[^1])
            && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount is > 0 and <= 100_000)
        {
            TimeSpan? span = char.ToLowerInvariant(value[^1]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (span is { } back)
            {
                return time.GetUtcNow() - back;
            }
        }
        if (DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return new DateTimeOffset(day, TimeSpan.Zero);
        }
        if (value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }
        throw new SpecSynthException(ErrorKind.InvalidInput,
            $"--since '{text}' is not a date: give a UTC date (2026-12-01), a UTC time (2026-12-01T08:00:00Z) or a span back from now (7d, 24h, 30m).");
    }
}
