using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary>The provider handlers' body wrappers in one <see cref="ResponseBodyContent"/>: the UTF-8 check beneath the
/// stream-error scanner, each wrapping the same content's body, with the original's headers (its length only while the
/// body is unchanged).</summary>
public sealed class ResponseBodyContentTests
{
    private const string Body = "data: {\"choices\":[{\"delta\":{\"content\":\"Grüße 😀\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";

    [Fact]
    public async Task ScannerOverUtf8Check_IsOneContent_WithTheHeaders_AndTheScannedBody()
    {
        var record = new ProviderCallRecord();
        ProviderCallRecord.Current = record;
        var original = Answer(Encoding.UTF8.GetBytes(Body));
        using var invoker = new HttpMessageInvoker(new StreamErrorCaptureHandler(new Utf8ValidatingHandler(new Answering(() => original))));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);

        var content = Assert.IsType<ResponseBodyContent>(response.Content);
        Assert.IsType<LinePatchingStream>(content.Body);
        Assert.Equal("text/event-stream", content.Headers.ContentType?.MediaType);
        Assert.Equal(["yes"], content.Headers.GetValues("Content-Language"));
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(Body, await response.Content.ReadAsStringAsync());
        Assert.Equal("overloaded", record.StreamError?.Message);
    }

    [Fact]
    public async Task Utf8CheckAlone_KeepsTheLength_AndFailsAnInvalidByte()
    {
        var bytes = Encoding.UTF8.GetBytes("data: ok\n\n").Concat(new byte[] { 0x61, 0xFF }).ToArray();
        using var invoker = new HttpMessageInvoker(new Utf8ValidatingHandler(new Answering(() => Answer(bytes))));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);

        Assert.IsType<ResponseBodyContent>(response.Content);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        await using var read = await response.Content.ReadAsStreamAsync();
        var ex = await Assert.ThrowsAsync<InvalidUtf8Exception>(() => read.CopyToAsync(Stream.Null));
        Assert.Equal(11L, ex.Offset);
    }

    [Fact]
    public async Task AnErrorResponse_KeepsItsOwnContent()
    {
        var failed = new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("{\"error\":\"boom\"}") };
        var content = failed.Content;
        using var invoker = new HttpMessageInvoker(new StreamErrorCaptureHandler(new Utf8ValidatingHandler(new Answering(() => failed))));
        ProviderCallRecord.Current = new ProviderCallRecord();

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);

        Assert.Same(content, response.Content);
    }

    [Fact]
    public async Task TheBody_CannotBeWrappedOnceItIsRead()
    {
        using var response = Answer(Encoding.UTF8.GetBytes(Body));
        var content = await ResponseBodyContent.OfAsync(response, CancellationToken.None);
        Assert.Same(content, await ResponseBodyContent.OfAsync(response, CancellationToken.None));
        content.Body = new Utf8ValidatingStream(content.Body);

        await using var read = await response.Content.ReadAsStreamAsync();

        Assert.Same(content.Body, read);
        Assert.Throws<InvalidOperationException>(() => content.Body = new Utf8ValidatingStream(read));
    }

    private static HttpResponseMessage Answer(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        content.Headers.ContentLanguage.Add("yes");
        content.Headers.ContentLength = body.Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private sealed class Answering(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer());
    }
}
