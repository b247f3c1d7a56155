namespace SpecSynth.Providers;

/// <summary>Wraps successful streamed bodies (SSE or NDJSON) in a <see cref="StreamErrorScanner"/> so that errors sent
/// after the 200 are recorded in the call's <see cref="ProviderCallRecord"/>, and checks that every successful body is
/// UTF-8 as it is read, as <see cref="Utf8ValidatingHandler"/> does (in the same wrapper stream as the scan when there is
/// one), so it sits right over the transport with no handler of its own for that check. A redirect is thrown as a
/// <see cref="ProviderRedirectException"/> (the transport does not follow it).</summary>
internal sealed class StreamErrorCaptureHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            ProviderRedirectException.ThrowIfRedirect(response);
            return response; // error bodies are only read for their message: left as they are
        }
        var record = ProviderCallRecord.Current;
        var streamed = StreamedMediaType.Of(response.Content.Headers);
        var body = await ResponseBodyContent.OfAsync(response, cancellationToken).ConfigureAwait(false);
        if (record is null || !streamed)
        {
            body.Body = new Utf8ValidatingStream(body.Body);
            return response;
        }
        var scanner = new StreamErrorScanner(record);
        body.Body = new LinePatchingStream(body.Body, scanner.Scan, scanner.MayChange, validateUtf8: true);
        body.Headers.ContentLength = null; // the patched body's length is not the length that was sent
        return response;
    }
}
