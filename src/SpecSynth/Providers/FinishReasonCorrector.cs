using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// Restores finish reasons the SDK adapters fold into <see cref="ChatFinishReason.Stop"/>: Anthropic's
/// <c>stop_sequence</c>, <c>pause_turn</c>, <c>refusal</c> and <c>model_context_window_exceeded</c> (read
/// from the raw event), and OpenAI refusals (surfaced as <see cref="ErrorContent"/>). The raw event's stop reason is read
/// through <paramref name="sdk"/> (the SDK's own types) when it can, else from the event serialized.
/// </summary>
internal sealed class FinishReasonCorrector(IProviderSdkErrors? sdk = null)
{
    /// <summary>Our name for Anthropic's stop-sequence reason, as a <see cref="ChatFinishReason"/>.</summary>
    public static readonly ChatFinishReason StopSequence = new(StopReasons.StopSequence);

    private ChatFinishReason? corrected;
    private bool sawRefusal;

    /// <summary>Looks at one update (in stream order) and fixes its finish reason.</summary>
    public void Apply(ChatResponseUpdate update)
    {
        var contents = update.Contents;
        for (var i = 0; i < contents.Count && !sawRefusal; i++)
        {
            sawRefusal = contents[i] is ErrorContent;
        }
        update.FinishReason = Correct(update.FinishReason, update.RawRepresentation);
    }

    /// <summary>Fixes a whole response's finish reason.</summary>
    public void Apply(ChatResponse response)
    {
        sawRefusal |= response.Messages.SelectMany(m => m.Contents).Any(c => c is ErrorContent);
        response.FinishReason = Correct(response.FinishReason, response.RawRepresentation);
    }

    private ChatFinishReason? Correct(ChatFinishReason? reason, object? raw)
    {
        if (reason != ChatFinishReason.Stop)
        {
            return reason;
        }
        corrected ??= FromRaw(raw, sdk) ?? (sawRefusal ? ChatFinishReason.ContentFilter : null);
        return corrected ?? reason;
    }

    private static ChatFinishReason? FromRaw(object? raw, IProviderSdkErrors? sdk)
    {
        if (raw is null || raw.GetType().Namespace?.StartsWith("Anthropic", StringComparison.Ordinal) != true)
        {
            return null;
        }
        var value = sdk is not null && sdk.TryStopReason(raw, out var typed) ? typed : Serialized(raw);
        return value switch
        {
            "stop_sequence" => StopSequence,
            "pause_turn" => new ChatFinishReason(StopReasons.PauseTurn),
            "refusal" => ChatFinishReason.ContentFilter,
            "model_context_window_exceeded" => ChatFinishReason.Length,
            _ => null,
        };
    }

    /// <summary>The <c>stop_reason</c> of <paramref name="raw"/> serialized (<c>delta.stop_reason</c> for a stream's
    /// <c>message_delta</c> event), or <c>null</c>.</summary>
    private static string? Serialized(object raw)
    {
        try
        {
            using var doc = JsonSerializer.SerializeToDocument(raw, raw.GetType()); // no JSON string in between
            var root = doc.RootElement;
            var holder = root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object ? delta : root;
            return holder.TryGetProperty("stop_reason", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
