using System.Net.Http.Headers;

namespace SpecSynth.Providers;

/// <summary>
/// Records the status, the retry and rate-limit headers and, for errors, the body of every response
/// into <see cref="ProviderCallRecord.Current"/>. Error bodies are buffered so the SDK can still read them.
/// </summary>
internal sealed class ResponseCaptureHandler : DelegatingHandler
{
    private const int MaxErrorBodyChars = 8192;

    public ResponseCaptureHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var record = ProviderCallRecord.Current;
        if (record is not null)
        {
            record.RequestCount++;
            record.StatusCode = null;
            record.ErrorBody = null;
            record.StreamError = null;
            record.Headers = ProviderCallRecord.NoHeaders;
        }
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            record.StatusCode = (int)response.StatusCode;
            record.Headers = InterestingHeaders(response);
            if ((int)response.StatusCode >= 400)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                record.ErrorBody = body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] : body;
            }
        }
        return response;
    }

    private static Dictionary<string, string> InterestingHeaders(HttpResponseMessage response)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(result, response.Headers);
        Add(result, response.Content.Headers);
        return result;
    }

    /// <remarks>The names are looked at without their values (header names are ASCII tokens, so ignoring case is what
    /// lower-casing did); only the few kept are asked for their values, the same strings the enumeration of the headers
    /// gives. The two kept headers .NET parses (<c>retry-after</c>, <c>content-type</c>) are asked for their parsed values,
    /// as before; the others have no parser, so their values as they came are those values (joined the same way), taken
    /// without the headers' look-up and value array.</remarks>
    private static void Add(Dictionary<string, string> result, HttpHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            var name = header.Key;
            if (!Interesting(name))
            {
                continue;
            }
            if (!Parsed(name))
            {
                result[name.ToLowerInvariant()] = header.Value.ToString();
            }
            else if (IsContentType(name) && header.Value.Count == 1 && FormatsAsItself(header.Value.ToString()) is { } contentType)
            {
                result[ContentType] = contentType;
            }
            else if (headers.TryGetValues(name, out var values))
            {
                result[name.ToLowerInvariant()] = string.Join(", ", values);
            }
        }
    }

    /// <summary>The content types providers answer with, each exactly as the parser would give it back (a media type alone or
    /// with the UTF-8 charset, in lower case, one space after the semicolon).</summary>
    private static readonly string[] PlainContentTypes =
    [
        "text/event-stream", "application/json", "application/x-ndjson",
        "text/event-stream; charset=utf-8", "application/json; charset=utf-8", "application/x-ndjson; charset=utf-8",
    ];

    private const string ContentType = "content-type";

    private static bool IsContentType(string name) => name.Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="raw"/> when it is one of <see cref="PlainContentTypes"/> (what the parsed header's value would be:
    /// taken without parsing it, its string array and the re-formatted string), else <c>null</c> (parsed as before).</summary>
    private static string? FormatsAsItself(string raw)
    {
        foreach (var plain in PlainContentTypes)
        {
            if (raw.Equals(plain, StringComparison.Ordinal))
            {
                return raw;
            }
        }
        return null;
    }

    private static bool Parsed(string name) =>
        name.Equals("retry-after", StringComparison.OrdinalIgnoreCase) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase);

    private static bool Interesting(string name) =>
        name.StartsWith("retry-after", StringComparison.OrdinalIgnoreCase) || name.Contains("ratelimit", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase) || name.Equals("x-should-retry", StringComparison.OrdinalIgnoreCase)
        || name.Equals("request-id", StringComparison.OrdinalIgnoreCase) || name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase);
}
