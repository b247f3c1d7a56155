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

        var scanner = new StreamErrorScanner(record);

        var output = await ReadAllAsync(Body, chunk, 4096, scanner.Scan, scanner.MayChange);

        Assert.Equal(Body.Replace("\"finish_reason\":\"weird\"", "\"finish_reason\":null", StringComparison.Ordinal), output);
        Assert.Equal("the stream ended with finish_reason 'weird'", record.StreamError?.Message);
    }

    [Theory]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n", false)]
    [InlineData("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":100}}\n", false)]
    [InlineData("\n", false)]
    [InlineData("data: [DONE]\n", false)]
    [InlineData("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n", false)]
    [InlineData("data: {\"choices\":[{\"delta\":{},\"finish_reason\": \"length\"}],\"usage\":null}\n", false)]
    [InlineData("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"weird\"}]}\n", true)]
    [InlineData("data: {\"choices\":[{\"finish_reason\":\"stop\"},{\"finish_reason\":\"stops\"}]}\n", true)]
    [InlineData("data: {\"choices\":[{\"finish_reason\":\"st\\u006fp\"}]}\n", true)]
    [InlineData("data: {\"choices\":[{\"finish_reason\" :\u00a0null}]}\n", true)]
    [InlineData("event: error\n", true)]
    [InlineData("{\"error\":\"model not found\"}\n", true)]
    public void TheScannersByteCheck_SkipsOnlyLinesTheScanWouldPassAsTheyAre(string line, bool mayChange)
    {
        Assert.Equal(mayChange, new StreamErrorScanner(new ProviderCallRecord()).MayChange(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void TheScannersByteCheck_NeverSkipsALineTheScanActsOn()
    {
        // Random lines built from the pieces the scan looks for, spaces of both kinds included: whenever the byte check
        // says a line cannot change, the scan must give the very same string back and record nothing, after a plain line
        // and after an error event alike.
        string[] pieces = ["data:", "data: ", "event:", "event: error", "error", "{", "}", "[", "]", ":", ",", " ", "\t", "\u00a0",
            "\u2028", "\"finish_reason\"", "\"error\"", "null", "nul", "\"stop\"", "\"stops\"", "\"sto", "\"length\"", "\"tool_calls\"",
            "\"content_filter\"", "\"function_call\"", "\"weird\"", "\"choices\"", "\\\"", "é", "😀", "\r"];
        var random = new Random(19);
        var skipped = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]))
                + (random.Next(4) == 0 ? "" : "\n");
            foreach (var before in new[] { "data: {}\n", "event: error\n" })
            {
                var record = new ProviderCallRecord();
                var scanner = new StreamErrorScanner(record);
                scanner.Scan(before);
                if (scanner.MayChange(Encoding.UTF8.GetBytes(line)))
                {
                    continue;
                }
                skipped++;
                Assert.Same(line, scanner.Scan(line));
                Assert.Null(record.StreamError);
            }
        }
        Assert.True(skipped > 1_000, $"only {skipped} lines were skipped");
    }

    [Fact]
    public void TheScannersByteCheck_SkipsFinishChunksOnlyWhenEveryReasonIsKnown()
    {
        // Whole chunks as providers send them, one or two choices, with and without spaces: where the byte check skips,
        // the scan gives the line back as it is and records nothing; where a reason is not known, it never skips.
        string[] reasons = ["null", "\"stop\"", "\"length\"", "\"tool_calls\"", "\"content_filter\"", "\"function_call\"",
            "\"weird\"", "\"stop_sequence\"", "\"Stop\"", "\"\""];
        foreach (var first in reasons)
        {
            foreach (var second in reasons.Append(""))
            {
                foreach (var space in new[] { "", " " })
                {
                    var choices = $"{{\"index\":0,\"delta\":{{}},\"finish_reason\":{space}{first}}}"
                        + (second == "" ? "" : $",{{\"index\":1,\"finish_reason\":{space}{second}}}");
                    var line = $"data: {{\"id\":\"c\",\"choices\":[{choices}]}}\n";
                    var record = new ProviderCallRecord();
                    var scanner = new StreamErrorScanner(record);
                    var known = new[] { first, second }.All(r => r is "" or "null" or "\"stop\"" or "\"length\"" or "\"tool_calls\""
                        or "\"content_filter\"" or "\"function_call\"");

                    Assert.Equal(!known, scanner.MayChange(Encoding.UTF8.GetBytes(line)));
                    var scanned = scanner.Scan(line);
                    Assert.Equal(known, ReferenceEquals(line, scanned) && record.StreamError is null);
                }
            }
        }
    }

    [Fact]
    public async Task DisposedWhileAReadWaitsOnTheBody_TheReadEndsAsDisposedWhenTheBodyAnswers_AndOtherReadsAreRefused()
    {
        var body = new GatedStream(Encoding.UTF8.GetBytes("data: {\"x\":1}\n"));
        var stream = new LinePatchingStream(body, line => line);
        var buffer = new byte[64];

        var pending = stream.ReadAsync(buffer).AsTask();
        Assert.False(pending.IsCompleted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => stream.ReadAsync(new byte[8]).AsTask());
        stream.Dispose();
        Assert.True(body.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.ReadAsync(new byte[8]).AsTask());
        Assert.False(pending.IsCompleted);
        body.Open();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(buffer, b => Assert.Equal(0, b));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.ReadAsync(new byte[8]).AsTask());
    }

    private static async Task<string> ReadAllAsync(string body, int innerChunk, int outerChunk, Func<string, string> patch,
        Func<ReadOnlySpan<byte>, bool>? mayChange = null)
    {
        await using var stream = new LinePatchingStream(new ChunkedStream(Encoding.UTF8.GetBytes(body), innerChunk), patch, mayChange);
        var result = new MemoryStream();
        var buffer = new byte[outerChunk];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            result.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(result.ToArray());
    }

    /// <summary>A body whose first read waits until <see cref="Open"/>, then hands out everything; disposing it does not end
    /// a waiting read (as a response body still waiting on the network).</summary>
    private sealed class GatedStream(byte[] body) : MemoryStream(body)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed { get; private set; }

        public void Open() => _gate.SetResult();

        protected override void Dispose(bool disposing) => Disposed = true;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return Read(buffer.Span);
        }
    }

    /// <summary>A body that hands out at most <c>chunk</c> bytes per read, cutting lines and characters anywhere.</summary>
    private sealed class ChunkedStream(byte[] body, int chunk) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
