using System.Text;

namespace SpecSynth.Tests.Fakes;

/// <summary>Anthropic Messages API bodies, as the real API writes them (padding and ping frames included).</summary>
internal static class AnthropicWire
{
    private const string UsageJson = """{"input_tokens":@input@,"cache_creation_input_tokens":@write@,"cache_read_input_tokens":@read@,"output_tokens":@output@}""";

    public static FakeResponse Stream(IReadOnlyList<string> deltas, string stopReason = "end_turn", long input = 31,
        long output = 57, long cacheWrite = 0, long cacheRead = 0, string model = "claude-sonnet-4-5")
    {
        var sse = new StringBuilder();
        var startUsage = Template.Fill(UsageJson, ("input", input), ("write", cacheWrite), ("read", cacheRead), ("output", 1));
        var endUsage = Template.Fill(UsageJson, ("input", input), ("write", cacheWrite), ("read", cacheRead), ("output", output));
        Event(sse, "message_start", Template.Fill("""{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":@model@,"content":[],"stop_reason":null,"stop_sequence":null,"usage":@usage@}}""",
            ("model", model)).Replace("@usage@", startUsage, StringComparison.Ordinal));
        Event(sse, "content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}   }""");
        Event(sse, "ping", """{"type": "ping"}""");
        foreach (var delta in deltas)
        {
            Event(sse, "content_block_delta", Template.Fill("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":@text@}}""", ("text", delta)));
        }
        Event(sse, "content_block_stop", """{"type":"content_block_stop","index":0              }""");
        Event(sse, "message_delta", Template.Fill("""{"type":"message_delta","delta":{"stop_reason":@stop@,"stop_sequence":null},"usage":@usage@}""",
            ("stop", stopReason)).Replace("@usage@", endUsage, StringComparison.Ordinal));
        Event(sse, "message_stop", """{"type":"message_stop"       }""");
        return FakeResponse.Sse(sse.ToString(), ("request-id", "req_fake"));
    }

    public static FakeResponse Json(string text, string stopReason = "end_turn", long input = 31, long output = 57,
        long cacheWrite = 0, long cacheRead = 0, string model = "claude-sonnet-4-5") =>
        FakeResponse.Json(Template.Fill("""{"id":"msg_01","type":"message","role":"assistant","model":@model@,"content":[{"type":"text","text":@text@}],"stop_reason":@stop@,"stop_sequence":null,"usage":@usage@}""",
            ("model", model), ("text", text), ("stop", stopReason))
            .Replace("@usage@", Template.Fill(UsageJson, ("input", input), ("write", cacheWrite), ("read", cacheRead), ("output", output)), StringComparison.Ordinal));

    /// <summary>The answer of <c>POST /v1/messages/count_tokens</c>.</summary>
    public static FakeResponse TokenCount(long inputTokens) =>
        FakeResponse.Json(Template.Fill("""{"input_tokens":@input@}""", ("input", inputTokens)));

    /// <summary>A <see cref="FakeProviderServer.Router"/> that answers <c>/v1/messages/count_tokens</c> with
    /// <paramref name="count"/>(request) and leaves every other path to the queue.</summary>
    public static Func<RecordedRequest, FakeResponse?> CountTokensRoute(Func<RecordedRequest, FakeResponse> count) =>
        request => request.Path.EndsWith("/v1/messages/count_tokens", StringComparison.Ordinal) ? count(request) : null;

    public static FakeResponse Error(int status, string type, string message) =>
        FakeResponse.Json(Template.Fill("""{"type":"error","error":{"type":@type@,"message":@message@},"request_id":"req_fake"}""", ("type", type), ("message", message)), status);

    public static string ErrorEvent(string type, string message) =>
        "event: error\ndata: " + Template.Fill("""{"type":"error","error":{"type":@type@,"message":@message@}}""", ("type", type), ("message", message)) + "\n\n";

    private static void Event(StringBuilder sse, string name, string data) =>
        sse.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data).Append("\n\n");
}
