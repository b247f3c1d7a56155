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
            record.Headers = new Dictionary<string, string>();
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

    private static void Add(Dictionary<string, string> result, HttpHeaders headers)
    {
        foreach (var (name, values) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower.StartsWith("retry-after", StringComparison.Ordinal) || lower.Contains("ratelimit", StringComparison.Ordinal)
                || lower is "content-type" or "x-should-retry" or "request-id" or "x-request-id")
            {
                result[lower] = string.Join(", ", values);
            }
        }
    }
}
