using System.Globalization;
using System.Text.RegularExpressions;

namespace SpecSynth.Middleware;

/// <summary>
/// What a provider's rate-limit headers say is left: Anthropic <c>anthropic-ratelimit-{requests,tokens}-{remaining,reset}</c>
/// (reset = RFC 3339 time), OpenAI <c>x-ratelimit-{remaining,reset}-{requests,tokens}</c> (reset = duration like <c>6m0s</c>, <c>20ms</c>).
/// </summary>
/// <param name="RequestsRemaining">Requests left in the provider's bucket, or <c>null</c>.</param>
/// <param name="RequestsReset">When the request bucket is full again, or <c>null</c>.</param>
/// <param name="TokensRemaining">Tokens left, or <c>null</c>.</param>
/// <param name="TokensReset">When the token bucket is full again, or <c>null</c>.</param>
internal sealed partial record RateLimitHeaders(long? RequestsRemaining, DateTimeOffset? RequestsReset, long? TokensRemaining,
    DateTimeOffset? TokensReset)
{
    /// <summary>The server's request limit (<c>anthropic-ratelimit-requests-limit</c>, <c>x-ratelimit-limit-requests</c>), or <c>null</c>.</summary>
    public long? RequestsLimit { get; init; }

    /// <summary>The server's token limit (<c>anthropic-ratelimit-tokens-limit</c>, <c>x-ratelimit-limit-tokens</c>), or <c>null</c>.</summary>
    public long? TokensLimit { get; init; }

    /// <summary>No header gave anything.</summary>
    public static readonly RateLimitHeaders None = new(null, null, null, null);

    public bool IsEmpty => RequestsRemaining is null && TokensRemaining is null;

    /// <summary>Reads the headers (names in lower case); absent or unreadable values stay <c>null</c>.</summary>
    /// <remarks>Headers that name no rate limit (most replies of servers without limits, every local one) give the shared
    /// <see cref="None"/>: no object per reply.</remarks>
    public static RateLimitHeaders Parse(IReadOnlyDictionary<string, string> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!NamesAny(headers))
        {
            return None;
        }
        return new RateLimitHeaders(
            Number("anthropic-ratelimit-requests-remaining") ?? Number("x-ratelimit-remaining-requests"),
            Time("anthropic-ratelimit-requests-reset") ?? Duration("x-ratelimit-reset-requests"),
            Number("anthropic-ratelimit-tokens-remaining") ?? Number("x-ratelimit-remaining-tokens"),
            Time("anthropic-ratelimit-tokens-reset") ?? Duration("x-ratelimit-reset-tokens"))
        {
            RequestsLimit = Number("anthropic-ratelimit-requests-limit") ?? Number("x-ratelimit-limit-requests"),
            TokensLimit = Number("anthropic-ratelimit-tokens-limit") ?? Number("x-ratelimit-limit-tokens"),
        };

        long? Number(string name) =>
            headers.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        DateTimeOffset? Time(string name) =>
            headers.TryGetValue(name, out var v) && DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

        DateTimeOffset? Duration(string name) =>
            headers.TryGetValue(name, out var v) && ParseDuration(v) is { } d ? now + d : null;
    }

    /// <summary>Whether any header's name is one of the rate-limit headers read here (all start with <c>anthropic-ratelimit-</c>
    /// or <c>x-ratelimit-</c>).</summary>
    /// <remarks>A lookup by name matches a name equal to it (ignoring case at most), so a dictionary with no such name
    /// answers none of the lookups. Only a <see cref="Dictionary{TKey, TValue}"/> (what the provider clients give) is
    /// looked through, with its own enumerator; any other kind is read in full.</remarks>
    private static bool NamesAny(IReadOnlyDictionary<string, string> headers)
    {
        if (headers.Count == 0)
        {
            return false;
        }
        if (headers is not Dictionary<string, string> dictionary)
        {
            return true;
        }
        foreach (var name in dictionary.Keys)
        {
            if (name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("anthropic-ratelimit-", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses Go-style durations as OpenAI sends them: <c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>1h2m3.5s</c>.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var matches = DurationPart().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            return null;
        }
        var total = TimeSpan.Zero;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                _ => TimeSpan.FromMicroseconds(value),
            };
        }
        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|us|µs|h|m|s)")]
    private static partial Regex DurationPart();
}
