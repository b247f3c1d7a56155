using System.Net.Http.Headers;

namespace SpecSynth.Providers;

/// <summary>Whether a response body is a stream of events (<c>text/event-stream</c>) or of JSON lines
/// (<c>application/x-ndjson</c>), read from the <c>Content-Type</c> header as it came: the values providers send
/// (<c>text/event-stream</c>, <c>text/event-stream; charset=utf-8</c>, ...) are recognised without parsing the header
/// (no parsed header value and its strings per response); any other value is parsed, so the answer is always the parsed
/// media type's, compared as before (case-sensitive).</summary>
internal static class StreamedMediaType
{
    private const string EventStream = "text/event-stream";
    private const string Ndjson = "application/x-ndjson";
    private const string Utf8Charset = "; charset=utf-8";

    public static bool Of(HttpContentHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.NonValidated.TryGetValues("Content-Type", out var values) && values.Count == 1)
        {
            var raw = values.ToString();
            if (Plain(raw, EventStream) || Plain(raw, Ndjson))
            {
                return true;
            }
        }
        return headers.ContentType?.MediaType is EventStream or Ndjson;
    }

    /// <summary>Whether <paramref name="raw"/> is <paramref name="mediaType"/> alone or with the UTF-8 charset, exactly
    /// as the parser would read it (the charset's name and value are not case-sensitive; nothing else is allowed).</summary>
    private static bool Plain(string raw, string mediaType) =>
        raw.StartsWith(mediaType, StringComparison.Ordinal)
        && (raw.Length == mediaType.Length
            || raw.AsSpan(mediaType.Length).Equals(Utf8Charset, StringComparison.OrdinalIgnoreCase));
}
