using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary><see cref="StreamedMediaType"/> answers what the parsed <c>Content-Type</c> header answered, whether or not it
/// recognises the value without parsing it.</summary>
public sealed class StreamedMediaTypeTests
{
    [Theory]
    [InlineData("text/event-stream", true)]
    [InlineData("text/event-stream; charset=utf-8", true)]
    [InlineData("text/event-stream; charset=UTF-8", true)]
    [InlineData("text/event-stream;charset=utf-8", true)]
    [InlineData("text/event-stream; charset=utf-16", true)]
    [InlineData("application/x-ndjson", true)]
    [InlineData("application/x-ndjson; charset=utf-8", true)]
    [InlineData("  text/event-stream", true)]
    [InlineData("Text/Event-Stream", false)]
    [InlineData("text/event-streams", false)]
    [InlineData("text/event-stream; charset=utf-8x", true)]
    [InlineData("text/event-stream garbage", false)]
    [InlineData("application/json", false)]
    [InlineData("text/html; charset=utf-8", false)]
    [InlineData("", false)]
    public void Answers_AsTheParsedHeaderDoes(string raw, bool streamed)
    {
        using var content = new ByteArrayContent([]);
        content.Headers.TryAddWithoutValidation("Content-Type", raw);
        using var parsed = new ByteArrayContent([]);
        parsed.Headers.TryAddWithoutValidation("Content-Type", raw);

        var answer = StreamedMediaType.Of(content.Headers);

        Assert.Equal(parsed.Headers.ContentType?.MediaType is "text/event-stream" or "application/x-ndjson", answer);
        Assert.Equal(streamed, answer);
    }

    [Fact]
    public void NoContentType_IsNotAStream()
    {
        using var content = new ByteArrayContent([]);

        Assert.False(StreamedMediaType.Of(content.Headers));
    }

    [Fact]
    public void ASetContentType_IsReadAsSet()
    {
        using var content = new StringContent("{}");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");

        Assert.True(StreamedMediaType.Of(content.Headers));
    }
}
