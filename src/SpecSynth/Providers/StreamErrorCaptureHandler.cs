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
        var original = response.Content;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var scanner = new StreamErrorScanner(record);
        var scanned = new StreamContent(new LinePatchingStream(stream, scanner.Scan, scanner.MayChange));
        foreach (var header in original.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                scanned.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        response.Content = scanned;
        return response;
    }
}
