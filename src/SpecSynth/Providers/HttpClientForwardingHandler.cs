namespace SpecSynth.Providers;

/// <summary>
/// Sends through a caller-supplied <see cref="HttpClient"/>, so our handlers can sit in front of it. The
/// request is copied: an <see cref="HttpClient"/> refuses a message another client has already sent.
/// </summary>
internal sealed class HttpClientForwardingHandler(HttpClient client) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = request.Content,
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }
        return client.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
