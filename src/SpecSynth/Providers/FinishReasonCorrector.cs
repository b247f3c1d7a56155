using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// Restores finish reasons the SDK adapters fold into <see cref="ChatFinishReason.Stop"/>: Anthropic's
/// <c>stop_sequence</c>, <c>pause_turn</c>, <c>refusal</c> and <c>model_context_window_exceeded</c> (read
/// from the raw event), and OpenAI refusals (surfaced as <see cref="ErrorContent"/>).
/// </summary>
internal sealed class FinishReasonCorrector
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
        corrected ??= FromRaw(raw) ?? (sawRefusal ? ChatFinishReason.ContentFilter : null);
        return corrected ?? reason;
    }

    private static ChatFinishReason? FromRaw(object? raw)
    {
        if (raw is null || raw.GetType().Namespace?.StartsWith("Anthropic", StringComparison.Ordinal) != true)
        {
            return null;
        }
        try
        {
            using var doc = JsonSerializer.SerializeToDocument(raw, raw.GetType()); // no JSON string in between
            var root = doc.RootElement;
            var holder = root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object ? delta : root;
            var value = holder.TryGetProperty("stop_reason", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return value switch
            {
                "stop_sequence" => StopSequence,
                "pause_turn" => new ChatFinishReason(StopReasons.PauseTurn),
                "refusal" => ChatFinishReason.ContentFilter,
                "model_context_window_exceeded" => ChatFinishReason.Length,
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
