namespace SpecSynth.Providers;

/// <summary>
/// Checks that every successful response body from a provider is valid UTF-8 as it is read. The SDKs decode bodies
/// leniently (invalid bytes become U+FFFD, which would end up in file contents and names), so this handler sits under
/// them, next to the transport: an invalid byte fails the read with <see cref="InvalidUtf8Exception"/>, an
/// <see cref="IOException"/> the error translation treats like a cut stream (retryable; the stream is restarted).
/// Error bodies (4xx, 5xx) are left as they are: they are only read for their message. A redirect is thrown as a
/// <see cref="ProviderRedirectException"/> (the transport under it must not follow redirects).
/// </summary>
internal sealed class Utf8ValidatingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            ProviderRedirectException.ThrowIfRedirect(response);
            return response;
        }
        var body = await ResponseBodyContent.OfAsync(response, cancellationToken).ConfigureAwait(false);
        body.Body = new Utf8ValidatingStream(body.Body);
        return response;
    }
}
