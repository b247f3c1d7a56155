using System.Text;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary>The line rewriter under the streamed bodies, and the stream-error scanner it runs: every line reaches the
/// function whole, however the body is cut into reads, and what the function leaves alone passes byte for byte.</summary>
public sealed class LinePatchingStreamTests
{
    private const string Body = "data: {\"choices\":[{\"delta\":{\"content\":\"Grüße → 😀\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"weird\"}]}\r\n"
        + "event: error\ndata: {\"message\":\"overloaded\"}\n"
        + "data: [DONE]";

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5000, 5000)]
    [InlineData(64, 1)]
    public async Task EveryLine_ReachesTheFunctionWhole_AndUnchangedLinesPassAsTheyCame(int innerChunk, int outerChunk)
    {
        var lines = new List<string>();
        var output = await ReadAllAsync(Body, innerChunk, outerChunk, line =>
        {
            lines.Add(line);
            return line.Contains("weird", StringComparison.Ordinal) ? line.Replace("weird", "odd", StringComparison.Ordinal) : line;
        });

        Assert.Equal(
        [
            "data: {\"choices\":[{\"delta\":{\"content\":\"Grüße → 😀\"},\"finish_reason\":null}]}\n", "\n",
            "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"weird\"}]}\r\n", "event: error\n",
            "data: {\"message\":\"overloaded\"}\n", "data: [DONE]",
        ], lines);
        Assert.Equal(Body.Replace("weird", "odd", StringComparison.Ordinal), output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task TheScanner_BlanksAnUnknownFinishReason_AndKeepsTheFirstError(int chunk)
    {
        var record = new ProviderCallRecord();

        var output = await ReadAllAsync(Body, chunk, 4096, new StreamErrorScanner(record).Scan);

        Assert.Equal(Body.Replace("\"finish_reason\":\"weird\"", "\"finish_reason\":null", StringComparison.Ordinal), output);
        Assert.Equal("the stream ended with finish_reason 'weird'", record.StreamError?.Message);
    }

    [Theory]
    [InlineData("data: {\"choices\":[{\"finish_reason\" : null}],\"x\":{\"finish_reason\":\"weird\"}}\n", false)]
    [InlineData("data: {\"choices\":[{\"finish_reason\":null},{\"finish_reason\": \"weird\"}]}\n", true)]
    [InlineData("data: {\"choices\":[{\"finish_reason\":\"stop\"}]}\n", false)]
    [InlineData("{\"error\":\"model not found\"}\n", true)]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"finish_reason\\\":\\\"weird\\\"\"},\"finish_reason\":null}]}\n", false)]
    public void TheScanner_RecordsWhatItDidBefore_WhateverItSkips(string line, bool recorded)
    {
        var record = new ProviderCallRecord();

        new StreamErrorScanner(record).Scan(line);

        Assert.Equal(recorded, record.StreamError is not null);
    }

    private static async Task<string> ReadAllAsync(string body, int innerChunk, int outerChunk, Func<string, string> patch)
    {
        await using var stream = new LinePatchingStream(new ChunkedStream(Encoding.UTF8.GetBytes(body), innerChunk), patch);
        var result = new MemoryStream();
        var buffer = new byte[outerChunk];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            result.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(result.ToArray());
    }

    /// <summary>A body that hands out at most <c>chunk</c> bytes per read, cutting lines and characters anywhere.</summary>
    private sealed class ChunkedStream(byte[] body, int chunk) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
