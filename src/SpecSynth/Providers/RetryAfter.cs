using System.Globalization;

namespace SpecSynth.Providers;

/// <summary>Reads the server's wait hint: <c>retry-after-ms</c>, else <c>retry-after</c> in seconds or as an HTTP date.</summary>
internal static class RetryAfter
{
    public static TimeSpan? Parse(IReadOnlyDictionary<string, string> headers, TimeProvider time)
    {
        if (headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }
        if (!headers.TryGetValue("retry-after", out var value))
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            var wait = when - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
