using System.Net;
using System.Net.Http.Headers;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary>What <see cref="ResponseCaptureHandler"/> keeps of a response's headers: the retry and rate-limit ones, the
/// content type and the request ids, names in lower case (looked up ignoring case), values as the headers give them.</summary>
public sealed class ResponseCaptureHandlerTests
{
    [Fact]
    public async Task KeepsTheInterestingHeaders_WhateverTheirCase_AndNothingElse()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/event-stream; charset=utf-8");
        response.Headers.TryAddWithoutValidation("Retry-After", "7");
        response.Headers.TryAddWithoutValidation("retry-after-ms", "1500");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining-Requests", "99");
        response.Headers.TryAddWithoutValidation("anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:00Z");
        response.Headers.TryAddWithoutValidation("X-Should-Retry", "true");
        response.Headers.TryAddWithoutValidation("request-id", "req_1");
        response.Headers.TryAddWithoutValidation("X-Request-ID", "abc");
        response.Headers.TryAddWithoutValidation("x-multi-ratelimit", ["a", "b"]);
        response.Headers.TryAddWithoutValidation("Set-Cookie", "secret=1");
        response.Headers.TryAddWithoutValidation("x-requested-with", "no");
        response.Headers.TryAddWithoutValidation("openai-organization", "org");

        var record = await SendAsync(response);

        Assert.Equal(200, record.StatusCode);
        Assert.Equal(new Dictionary<string, string>
        {
            ["content-type"] = "text/event-stream; charset=utf-8",
            ["retry-after"] = "7",
            ["retry-after-ms"] = "1500",
            ["x-ratelimit-remaining-requests"] = "99",
            ["anthropic-ratelimit-tokens-reset"] = "2026-01-01T00:00:00Z",
            ["x-should-retry"] = "true",
            ["request-id"] = "req_1",
            ["x-request-id"] = "abc",
            ["x-multi-ratelimit"] = "a, b",
        }, record.Headers.OrderBy(h => h.Key).ToDictionary());
        Assert.Equal("99", record.Headers["X-RATELIMIT-REMAINING-REQUESTS"]);
    }

    /// <summary>The content type as it came (unparsed, as the transport and <see cref="ResponseBodyContent"/> keep it) is
    /// the parsed header's value: taken as it is when it is a plain one, parsed and re-formatted otherwise.</summary>
    [Theory]
    [InlineData("text/event-stream")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/x-ndjson")]
    [InlineData("text/event-stream;charset=utf-8")]
    [InlineData("Application/JSON;  Charset=\"UTF-8\"")]
    [InlineData("text/html; charset=utf-8; boundary=x")]
    public async Task TheContentTypeAsItCame_IsKeptAsTheParsedHeaderGivesIt(string raw)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        Assert.True(response.Content.Headers.TryAddWithoutValidation("Content-Type", raw));

        var record = await SendAsync(response);

        Assert.Equal(MediaTypeHeaderValue.Parse(raw).ToString(), record.Headers["content-type"]);
        Assert.Equal("content-type", Assert.Single(record.Headers).Key);
    }

    [Fact]
    public async Task ACallWithoutAResponse_HasNoHeadersOfAnEarlierOne()
    {
        var record = new ProviderCallRecord();
        ProviderCallRecord.Current = record;
        var first = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        first.Headers.TryAddWithoutValidation("x-ratelimit-remaining-requests", "1");
        using var invoker = new HttpMessageInvoker(new ResponseCaptureHandler(new Answering(() => first)));
        await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);
        Assert.NotEmpty(record.Headers);

        using var failing = new HttpMessageInvoker(new ResponseCaptureHandler(new Answering(() => throw new HttpRequestException("cut"))));
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            failing.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None));

        Assert.Empty(record.Headers);
        Assert.Null(record.StatusCode);
        Assert.Equal(2, record.RequestCount);
    }

    private static async Task<ProviderCallRecord> SendAsync(HttpResponseMessage response)
    {
        var record = new ProviderCallRecord();
        ProviderCallRecord.Current = record;
        using var invoker = new HttpMessageInvoker(new ResponseCaptureHandler(new Answering(() => response)));
        await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://localhost/"), CancellationToken.None);
        return record;
    }

    private sealed class Answering(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer());
    }
}
