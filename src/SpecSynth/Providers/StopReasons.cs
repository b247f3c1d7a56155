using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// specsynth's stop reasons: <c>stop</c>, <c>length</c>, <c>stop_sequence</c>, <c>content_filter</c>,
/// <c>tool_calls</c>, <c>pause_turn</c>, or <c>unknown</c> when the provider gave none.
/// </summary>
internal static class StopReasons
{
    /// <summary>Finished normally.</summary>
    public const string Stop = "stop";

    /// <summary>Hit the output cap or the context window: the output is truncated.</summary>
    public const string Length = "length";

    /// <summary>A configured stop sequence matched.</summary>
    public const string StopSequence = "stop_sequence";

    /// <summary>Filtered or refused.</summary>
    public const string ContentFilter = "content_filter";

    /// <summary>The model asked to call tools.</summary>
    public const string ToolCalls = "tool_calls";

    /// <summary>Anthropic paused a long server-tool turn.</summary>
    public const string PauseTurn = "pause_turn";

    /// <summary>No reason was reported (e.g. the stream was cut).</summary>
    public const string Unknown = "unknown";

    /// <summary>Maps a <see cref="ChatFinishReason"/> (well-known or carrying a raw provider value).</summary>
    public static string From(ChatFinishReason? reason)
    {
        if (reason is not { } r)
        {
            return Unknown;
        }
        if (r == ChatFinishReason.Stop)
        {
            return Stop;
        }
        if (r == ChatFinishReason.Length)
        {
            return Length;
        }
        if (r == ChatFinishReason.ToolCalls)
        {
            return ToolCalls;
        }
        return r == ChatFinishReason.ContentFilter ? ContentFilter : FromRaw(r.Value);
    }

    /// <summary>Maps a provider's raw value (<c>end_turn</c>, <c>max_tokens</c>, <c>done_reason</c> values, ...).</summary>
    public static string FromRaw(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "" => Unknown,
        "end_turn" or "stop" or "completed" => Stop,
        "max_tokens" or "length" or "model_context_window_exceeded" or "max_output_tokens" or "incomplete" => Length,
        "stop_sequence" => StopSequence,
        "content_filter" or "refusal" => ContentFilter,
        "tool_use" or "tool_calls" or "function_call" => ToolCalls,
        "pause_turn" => PauseTurn,
        var other => other,
    };
}
