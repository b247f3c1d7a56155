namespace SpecSynth.Providers;

/// <summary>Wraps successful streamed bodies (SSE or NDJSON) in a <see cref="StreamErrorScanner"/> so that errors sent
/// after the 200 are recorded in the call's <see cref="ProviderCallRecord"/>.</summary>
internal sealed class StreamErrorCaptureHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var record = ProviderCallRecord.Current;
        var type = response.Content.Headers.ContentType?.MediaType;
        if (record is null || !response.IsSuccessStatusCode || type is not ("text/event-stream" or "application/x-ndjson"))
        {
            return response;
        }
        var body = await ResponseBodyContent.OfAsync(response, cancellationToken).ConfigureAwait(false);
        var scanner = new StreamErrorScanner(record);
        body.Body = new LinePatchingStream(body.Body, scanner.Scan, scanner.MayChange);
        body.Headers.ContentLength = null; // the patched body's length is not the length that was sent
        return response;
    }
}
