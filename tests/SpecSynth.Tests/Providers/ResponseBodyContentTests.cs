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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamScannerAlone_ChecksUtf8InTheSameWrapper_SSEAndOtherBodies(bool streamed)
    {
        // The provider stack has no Utf8ValidatingHandler of its own any more: the scanner's handler checks every successful
        // body, in its line-patching stream (streamed bodies) or in a UTF-8 check alone (other bodies, length kept).
        ProviderCallRecord.Current = new ProviderCallRecord();
        var bytes = Encoding.UTF8.GetBytes("data: {\"x\":\"é\"}\n\n").Concat(new byte[] { 0x61, 0xFF, 0x0A }).ToArray();
        var answer = Answer(bytes);
        if (!streamed)
        {
            answer.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var invoker = new HttpMessageInvoker(new StreamErrorCaptureHandler(new Answering(() => answer)));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);

        var content = Assert.IsType<ResponseBodyContent>(response.Content);
        Assert.IsType(streamed ? typeof(LinePatchingStream) : typeof(Utf8ValidatingStream), content.Body);
        Assert.Equal(streamed ? null : bytes.Length, content.Headers.ContentLength);
        await using var read = await response.Content.ReadAsStreamAsync();
        var ex = await Assert.ThrowsAsync<InvalidUtf8Exception>(() => read.CopyToAsync(Stream.Null));
        Assert.Equal(19L, ex.Offset);
    }

    [Fact]
    public async Task AnthropicPatchAlone_ChecksUtf8_ABodyEndingInsideASequenceFails()
    {
        var bytes = Encoding.UTF8.GetBytes("data: {\"usage\":{\"server_tool_use\":{}}}\n").Concat(new byte[] { 0x61, 0xE2, 0x82 }).ToArray();
        using var invoker = new HttpMessageInvoker(new AnthropicUsagePatchHandler(new Answering(() => Answer(bytes))));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);

        await using var read = await response.Content.ReadAsStreamAsync();
        var seen = new MemoryStream();
        var ex = await Assert.ThrowsAsync<InvalidUtf8Exception>(() => read.CopyToAsync(seen));
        Assert.Equal(bytes.Length - 2, ex.Offset);
    }

    [Fact]
    public async Task AnthropicPatchAlone_PatchesAValidBody()
    {
        var bytes = Encoding.UTF8.GetBytes("data: {\"usage\":{\"server_tool_use\":{}}}\n\ndata: é\n\n");
        using var invoker = new HttpMessageInvoker(new AnthropicUsagePatchHandler(new Answering(() => Answer(bytes))));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);

        Assert.Equal("data: {\"usage\":{\"server_tool_use\":{\"web_fetch_requests\":0}}}\n\ndata: é\n\n", await response.Content.ReadAsStringAsync());
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
