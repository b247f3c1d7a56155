using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary>The Anthropic stop reason read through the SDK's types (<see cref="SdkErrors.TryStopReason"/>) is the one the
/// corrector read from the event serialized: for every event of a stream and a whole reply, with each stop reason, none and
/// one this release does not know; and the corrector gives the same finish reasons with and without it.</summary>
public sealed class AnthropicStopReasonTests
{
    public static TheoryData<string> Events()
    {
        var events = new TheoryData<string>
        {
            """{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}""",
            """{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"message_stop"}""",
            """{"type":"message_delta","delta":{"stop_reason":null,"stop_sequence":null},"usage":{"output_tokens":7}}""",
        };
        foreach (var reason in Reasons)
        {
            events.Add($$$"""{"type":"message_delta","delta":{"stop_reason":"{{{reason}}}","stop_sequence":null},"usage":{"output_tokens":7}}""");
        }
        return events;
    }

    private static readonly string[] Reasons =
        ["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded", "a_reason_from_later"];

    [Theory]
    [MemberData(nameof(Events))]
    public void AStreamEvent_GivesTheStopReasonItsJsonHolds(string json)
    {
        var raw = JsonSerializer.Deserialize<RawMessageStreamEvent>(json)!;

        Assert.True(SdkErrors.Instance.TryStopReason(raw, out var typed));
        Assert.Equal(SerializedStopReason(raw), typed);
        Assert.Equal(JsonStopReason(json), typed);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void TheCorrector_GivesTheSameFinishReason_WithAndWithoutTheTypedRead(string json)
    {
        var raw = JsonSerializer.Deserialize<RawMessageStreamEvent>(json)!;
        ChatFinishReason? Corrected(IProviderSdkErrors? sdk)
        {
            var update = new ChatResponseUpdate(ChatRole.Assistant, "") { FinishReason = ChatFinishReason.Stop, RawRepresentation = raw };
            new FinishReasonCorrector(sdk).Apply(update);
            return update.FinishReason;
        }

        Assert.Equal(Corrected(null), Corrected(SdkErrors.Instance));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("end_turn")]
    [InlineData("stop_sequence")]
    [InlineData("refusal")]
    [InlineData("a_reason_from_later")]
    public void AWholeReply_GivesItsStopReason(string? reason)
    {
        var stop = reason is null ? "null" : $"\"{reason}\"";
        var raw = JsonSerializer.Deserialize<Message>($$$"""{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi"}],"stop_reason":{{{stop}}},"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}""")!;

        Assert.True(SdkErrors.Instance.TryStopReason(raw, out var typed));
        Assert.Equal(reason, typed);
        Assert.Equal(SerializedStopReason(raw), typed);
    }

    [Fact]
    public void AnythingElse_IsLeftToTheSerialization()
    {
        Assert.False(SdkErrors.Instance.TryStopReason(new object(), out var none));
        Assert.Null(none);
        Assert.False(SdkErrors.Instance.TryStopReason(new ChatResponseUpdate(), out _));
    }

    /// <summary>What the corrector reads from an event serialized: <c>delta.stop_reason</c>, else the top level's.</summary>
    private static string? SerializedStopReason(object raw) => JsonStopReason(JsonSerializer.Serialize(raw, raw.GetType()));

    private static string? JsonStopReason(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var holder = root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object ? delta : root;
        return holder.TryGetProperty("stop_reason", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
    }
}
