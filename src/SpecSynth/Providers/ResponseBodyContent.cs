using System.Net;

namespace SpecSynth.Providers;

/// <summary>
/// A successful response body as the provider's handlers hand it on: the transport's body behind the read-only wrappers
/// the handlers put around it (UTF-8 check, line patches), in one content with the original's headers. Each handler wraps
/// <see cref="Body"/> in place (<see cref="OfAsync"/>), so a body wrapped twice is still one content, its headers copied
/// once, and a read goes straight to the outermost wrapper (no <see cref="StreamContent"/> read-only stream per layer).
/// </summary>
internal sealed class ResponseBodyContent : HttpContent
{
    private Stream _body;
    private bool _read;

    private ResponseBodyContent(HttpContent original, Stream body)
    {
        _body = body;
        // The values as they came, unparsed (they are parsed here when someone asks, as they would have been there): no
        // parsed header objects and re-formatted strings per response.
        foreach (var header in original.Headers.NonValidated)
        {
            var values = header.Value;
            if (values.Count == 1)
            {
                Headers.TryAddWithoutValidation(header.Key, values.ToString());
            }
            else
            {
                Headers.TryAddWithoutValidation(header.Key, values);
            }
        }
    }

    /// <summary>The body as read so far: the outermost wrapper. Set it to wrap it further, before anyone reads it.</summary>
    /// <exception cref="InvalidOperationException">Set after the body was handed to a reader.</exception>
    public Stream Body
    {
        get => _body;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (_read)
            {
                throw new InvalidOperationException("The response body is already being read.");
            }
            _body = value;
        }
    }

    /// <summary>The response's content as a <see cref="ResponseBodyContent"/>: its own when a handler beneath already made
    /// one, else a new one over the body read from the transport's content (which it replaces on the response).</summary>
    public static async ValueTask<ResponseBodyContent> OfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Content is ResponseBodyContent own)
        {
            return own;
        }
        var original = response.Content;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var content = new ResponseBodyContent(original, stream);
        response.Content = content;
        return content;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        Take().CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        Take().CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => Take();

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(Take());

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult(Take());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
        }
        base.Dispose(disposing);
    }

    private Stream Take()
    {
        _read = true;
        return _body;
    }
}
